"""The RecLens dataset schema (DESIGN §2) for scripts that write a dataset directly:
tests/data/models/make_fixtures.py, tests/gpu/make_large_case.py and tests/benchmarks/make_shop.py."""

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE categories(category_id INTEGER PRIMARY KEY, parent_id INTEGER NULL, name TEXT NOT NULL, level INTEGER NOT NULL);
CREATE TABLE brands(brand_id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE items(item_id INTEGER PRIMARY KEY, external_id TEXT UNIQUE NOT NULL, title TEXT, category_id INTEGER NULL,
                   brand_id INTEGER NULL, price REAL NULL);
CREATE TABLE item_tags(item_id INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE TABLE users(user_id INTEGER PRIMARY KEY, external_id TEXT UNIQUE NOT NULL, segment TEXT NULL);
CREATE TABLE user_attributes(user_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT);
CREATE TABLE interactions(user_id INTEGER NOT NULL, item_id INTEGER NOT NULL, ts INTEGER, event TEXT, weight REAL,
                          split TEXT NOT NULL CHECK(split IN ('train','test')));
"""
