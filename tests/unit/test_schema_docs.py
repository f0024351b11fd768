"""Every type, field, argument, input field and enum value is described."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    specified_scalar_types,
)

from schema.root import schema


def undocumented() -> list[str]:
    missing: list[str] = []
    for name, gql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in specified_scalar_types:
            continue
        if not gql_type.description:
            missing.append(name)
        if isinstance(gql_type, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in gql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [
                    f"{name}.{field_name}({arg})"
                    for arg, value in field.args.items()
                    if not value.description
                ]
        elif isinstance(gql_type, GraphQLInputObjectType):
            missing += [
                f"{name}.{f}" for f, v in gql_type.fields.items() if not v.description
            ]
        elif isinstance(gql_type, GraphQLEnumType):
            missing += [
                f"{name}.{v}" for v, d in gql_type.values.items() if not d.description
            ]
        else:
            assert isinstance(gql_type, GraphQLScalarType | GraphQLUnionType)
    return missing


def test_every_schema_element_has_a_description() -> None:
    assert undocumented() == []
