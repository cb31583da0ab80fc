import { renderSVG } from 'uqr';

/** A QR code of `value` (an address, an invite code) as inline SVG, named for screen readers by `label`. */
export function QrCode({ value, label }: { value: string; label: string }) {
  return <div className="qr" role="img" aria-label={label} dangerouslySetInnerHTML={{ __html: renderSVG(value, { border: 2 }) }} />;
}
