"""Forms of the certification pages, one module per group of views (mirrors views/)."""
