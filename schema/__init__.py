"""GraphQL types of the unified fulfilment graph."""
