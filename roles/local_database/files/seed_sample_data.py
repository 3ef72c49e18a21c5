"""Seed the local target's dev database with a small sample dataset, once.

    seed_sample_data.py --uri mongodb://127.0.0.1:27017/ [--database sample_store]

Collections that already hold documents are left alone, so the data a developer adds survives a
re-run. Prints one JSON line: {"changed": bool, "inserted": {collection: count}}.
"""

from __future__ import annotations

import argparse
import json
import sys

from pymongo import MongoClient

SAMPLE = {
    "products": [
        {"sku": "MCP-001", "name": "Gateway mug", "category": "merchandise", "price": 12.5, "stock": 40},
        {"sku": "MCP-002", "name": "Token sticker pack", "category": "merchandise", "price": 4.0, "stock": 250},
        {"sku": "MCP-003", "name": "Read-only notebook", "category": "stationery", "price": 7.25, "stock": 80},
        {"sku": "MCP-004", "name": "Admin hoodie", "category": "clothing", "price": 39.0, "stock": 12},
        {"sku": "MCP-005", "name": "Tier badge", "category": "merchandise", "price": 2.5, "stock": 500},
    ],
    "customers": [
        {"customer_id": 1, "name": "Grace Hopper", "country": "US", "tier": "gold"},
        {"customer_id": 2, "name": "Ada Lovelace", "country": "GB", "tier": "silver"},
        {"customer_id": 3, "name": "Katherine Johnson", "country": "US", "tier": "gold"},
    ],
}


def seed(uri: str, database: str) -> dict[str, int]:
    inserted = {}
    with MongoClient(uri, serverSelectionTimeoutMS=10000) as client:
        db = client[database]
        for collection, documents in SAMPLE.items():
            if db[collection].count_documents({}, limit=1) == 0:
                result = db[collection].insert_many([dict(document) for document in documents])
                inserted[collection] = len(result.inserted_ids)
    return inserted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uri", required=True)
    parser.add_argument("--database", default="sample_store")
    args = parser.parse_args(argv)
    inserted = seed(args.uri, args.database)
    print(json.dumps({"changed": bool(inserted), "inserted": inserted}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
