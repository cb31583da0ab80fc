// libp2p 3 calls Promise.withResolvers, which Node 20 lacks; every entry point imports this first.
// The polyfill itself lives with the library that needs it.
import '@trucom/p2p/polyfills';
