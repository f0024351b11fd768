"""Resolvers: functions that take GraphQL arguments and call providers."""
