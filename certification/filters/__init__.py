"""Filters of the certification lists, one module per list (mirrors views/)."""
