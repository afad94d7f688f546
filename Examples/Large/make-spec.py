#!/usr/bin/env python3
"""Writes Sources/LargeAPI/openapi.yaml: RouteGen's largest test spec, 30 resources x 4
operations (120), mixing the features RouteGen reads: inline objects in bodies, responses,
properties and items, maps, named primitives, array query parameters, forms, text and raw
bodies, status ranges and default, mangled and missing operationIds. Deterministic: the same
output on every run, so the timing in BENCHMARKS.md can be repeated."""
import os

RESOURCES = [
    "author", "book", "shelf", "reader", "loan", "review", "genre", "publisher", "series", "award",
    "event", "venue", "ticket", "order", "invoice", "payment", "refund", "coupon", "cart", "wishlist",
    "store", "stock", "supplier", "shipment", "parcel", "route", "driver", "vehicle", "depot", "report",
]

def resource(name: str) -> str:
    plural = name + "s"
    title = name.capitalize()
    return f"""  /{plural}:
    get:
      operationId: list-{plural}
      parameters:
        - name: tag
          in: query
          explode: false
          schema:
            type: array
            items:
              type: string
        - name: limit
          in: query
          schema:
            type: integer
            minimum: 1
            maximum: 100
            default: 20
      responses:
        '200':
          description: The {plural}.
          content:
            application/json:
              schema:
                type: object
                required: [items, total]
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/{name}'
                  total:
                    type: integer
                  counts:
                    additionalProperties:
                      type: integer
        default:
          $ref: '#/components/responses/Problem'
    post:
      operationId: create {name}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name:
                  type: string
                  minLength: 1
                  maxLength: 100
                note:
                  type: string
                address:
                  properties:
                    street:
                      type: string
                    city:
                      type: string
                  required: [city]
                labels:
                  type: array
                  items:
                    type: object
                    properties:
                      text:
                        type: string
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/{name}'
        4XX:
          $ref: '#/components/responses/Problem'
  /{plural}/{{id}}:
    parameters:
      - name: id
        in: path
        required: true
        schema:
          $ref: '#/components/schemas/identifier'
    get:
      operationId: get_{name}
      responses:
        '200':
          description: The {name}.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/{name}'
        '404':
          $ref: '#/components/responses/Problem'
    delete:
      responses:
        2XX:
          description: Removed.
        default:
          $ref: '#/components/responses/Problem'
"""

def schema(name: str) -> str:
    return f"""    {name}:
      type: object
      required: [id, name]
      properties:
        id:
          $ref: '#/components/schemas/identifier'
        name:
          type: string
        note:
          type: string
        address:
          type: object
          properties:
            street:
              type: string
            city:
              type: string
        labels:
          type: array
          items:
            type: object
            properties:
              text:
                type: string
"""

def main() -> None:
    out = ["openapi: 3.2.0", "info:", "  title: Large", "  version: '1'", "paths:"]
    out += [resource(name) for name in RESOURCES]
    out += ["components:", "  schemas:", "    identifier:", "      type: string", "      pattern: '^[a-z0-9-]{1,40}$'"]
    out += [schema(name) for name in RESOURCES]
    out += """    Problem:
      type: object
      required: [type, title, status, detail]
      properties:
        type:
          type: string
        title:
          type: string
        status:
          type: integer
        detail:
          type: string
        errors:
          type: array
          items:
            type: object
            properties:
              field:
                type: string
              reason:
                type: string
  responses:
    Problem:
      description: A problem.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
""".splitlines()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Sources", "LargeAPI", "openapi.yaml")
    with open(path, "w") as file:
        file.write("\n".join(out).rstrip("\n") + "\n")

main()
