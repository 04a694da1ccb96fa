"""Reading files into the library: what ingest/ parsed is encoded and stored
(`documents`), and watched folders are kept in step with the disk (`watch`)."""
