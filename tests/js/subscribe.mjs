// Subscribes with the reference graphql-ws client and prints each message as a
// JSON line: {"connected"}, {"next": data}, {"error"}, {"complete"}, {"closed":
// code}. With "--then-complete" it unsubscribes after COUNT events, disposes
// the client and exits 0 once the socket has closed.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, query, count, mode] = process.argv.slice(2);
const wanted = Number(count);
const print = (value) => process.stdout.write(JSON.stringify(value) + "\n");

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  retryAttempts: 0,
  lazy: false,
  on: {
    connected: () => print({ connected: true }),
    closed: (event) => {
      print({ closed: event.code });
      if (disposing) process.exit(0);
    },
  },
});

let seen = 0;
let disposing = false;
const unsubscribe = client.subscribe(
  { query },
  {
    next: (data) => {
      print({ next: data });
      seen += 1;
      if (seen >= wanted && mode === "--then-complete") {
        unsubscribe();
        disposing = true;
        client.dispose();
      }
    },
    error: (error) => {
      print({ error: String(error?.message ?? JSON.stringify(error)) });
      process.exit(1);
    },
    complete: () => print({ complete: true }),
  },
);
setTimeout(() => {
  print({ timeout: true });
  process.exit(2);
}, 20000);
