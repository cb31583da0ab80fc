/**
 * Turns whatever went wrong (a chain's raw log, a gateway's JSON error, a network failure) into a
 * sentence a person understands. Never a stack trace.
 */
export function plainError(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
  const text = (raw ?? '').split('\n')[0]!.replace(/^Error:\s*/, '');
  const rules: [RegExp, string][] = [
    // Before the seed-phrase rule: an invite code's checksum is not a seed phrase's.
    [/not a Trucom invite code/i, 'That is not a Trucom invite code: it starts with "trucom-invite1:". Paste the whole code your contact showed you.'],
    [/invite code (was altered|is truncated|has trailing)|invite's signature/i, 'That invite code was altered or mistyped (its checksum or signature does not match): ask your contact to show it again.'],
    [/from an identity that is not a contact/i, 'A message came from someone who is not your contact yet: add their invite code to read it.'],
    [/insufficient funds|insufficient fee|spendable balance .* is smaller/i, 'Insufficient funds: your wallet does not hold enough TRU for this (and its fee). Use the faucet or receive TRU first.'],
    [/does not exist on chain|account .* not found/i, 'Your address has no funds on the chain yet: receive TRU (or use the faucet) first.'],
    [/deal .*(expired|not active)|expired deal/i, 'Deal expired: it is no longer active, so it can no longer be changed.'],
    [/cancelled/i, 'This deal was cancelled.'],
    [/revoked/i, 'Grant revoked: access to this stream was taken back.'],
    [/not granted|never granted|no grant/i, 'No grant: the publisher has not given this address access.'],
    [/failed to fetch|networkerror|load failed|network request failed|cannot reach/i, 'Cannot reach the network service. Is the devnet running?'],
    [/invalid mnemonic|invalid.*seed|mnemonic.*invalid|checksum/i, 'That seed phrase is not valid: check the words and their order.'],
    [/decrypt|operationerror/i, 'Wrong passphrase.'],
    [/invalid address|decoding bech32|bech32/i, 'That address is not a valid Trucom address (it starts with "tru1").'],
    [/request rejected|rejected by (the )?user/i, 'You declined the request in Keplr, so nothing was signed.'],
    [/there is no chain info for|no chain info/i, 'Keplr does not know this chain yet: connect Keplr again and approve adding it.'],
    [/out of gas/i, 'The transaction ran out of gas; try again.'],
    [/timed out|timeout/i, 'The network took too long to answer; try again.'],
  ];
  for (const [re, say] of rules) if (re.test(text)) return say;
  const cleaned = text.replace(/\s+at\s+\S+\s+\(.*$/, '').trim();
  return cleaned.length > 300 ? `${cleaned.slice(0, 300)}…` : cleaned || 'Something went wrong.';
}
