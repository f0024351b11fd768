/*
 * Starts the self-hosted GraphiQL of the fulfilment gateway.
 *
 * Loaded as an external script (the page's Content-Security-Policy allows no
 * inline script) after React, ReactDOM, GraphiQL and the explorer plugin.
 * Queries go over HTTP to the URL the page was served from; subscriptions use
 * a graphql-ws connection to the same URL with ws:// or wss://. The query and
 * variables are kept in the page URL (?q=...&variables=...) so a link can be
 * shared; "q" rather than "query" because a GET carrying ?query= is answered
 * with JSON by the gateway instead of this page.
 */
(function () {
  "use strict";

  var WELCOME_QUERY = [
    "# Welcome to the Fulfilment Gateway's GraphiQL.",
    "#",
    "# One GraphQL graph over Flexe, Flexport and Flxpoint.",
    "# Write a query on this side: the editor completes and",
    "# checks it against the live schema, which the Docs",
    "# button (left sidebar) lets you browse.",
    "#",
    "# For example, the three most recent orders:",
    "#",
    "#     {",
    "#       orders(first: 3) {",
    "#         ...",
    "#       }",
    "#     }",
    "#",
    "# Keyboard shortcuts:",
    "#",
    "#   Run query:     Ctrl-Enter (or the play button)",
    "#   Autocomplete:  Ctrl-Space (or just start typing)",
    "#   Prettify:      Shift-Ctrl-P",
    "",
  ].join("\n");

  var params = new URLSearchParams(window.location.search);

  var httpUrl = new URL(window.location.href);
  httpUrl.search = "";
  httpUrl.hash = "";
  var fetchUrl = httpUrl.toString();

  var wsUrl = new URL(fetchUrl);
  wsUrl.protocol = wsUrl.protocol === "https:" ? "wss:" : "ws:";
  var subscriptionUrl = wsUrl.toString();

  // Mirror the editors into the address bar (empty values are dropped).
  function updateUrl(name, value) {
    var search = new URLSearchParams(window.location.search);
    if (value) {
      search.set(name, value);
    } else {
      search.delete(name);
    }
    var query = search.toString();
    history.replaceState(
      null,
      "",
      window.location.pathname + (query ? "?" + query : "") + window.location.hash,
    );
  }

  var fetcher = GraphiQL.createFetcher({
    url: fetchUrl,
    subscriptionUrl: subscriptionUrl,
  });

  var explorer = GraphiQLPluginExplorer.explorerPlugin();

  function App() {
    var queryState = React.useState(params.get("q") || WELCOME_QUERY);
    var variablesState = React.useState(params.get("variables") || undefined);

    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      query: queryState[0],
      variables: variablesState[0],
      onEditQuery: function (value) {
        queryState[1](value);
        updateUrl("q", value);
      },
      onEditVariables: function (value) {
        variablesState[1](value);
        updateUrl("variables", value);
      },
      defaultEditorToolsVisibility: true,
      inputValueDeprecation: true,
      isHeadersEditorEnabled: true,
      // Headers may carry credentials: keep them out of localStorage.
      shouldPersistHeaders: false,
    });
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(App),
  );
})();
