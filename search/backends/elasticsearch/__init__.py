"""The Elasticsearch backend of the catalogue search, and all that is Elasticsearch's.

connection: the client and the index (alias) names.
documents: the index mappings, and how each field is read from a record.
indexing: rebuilds behind an alias swap, page updates, failed updates kept and retried,
status.
backend: ElasticsearchBackend, the queries and the reading of their answers.
"""
