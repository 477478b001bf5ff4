//! Catalogue search (tantivy lives here once search lands; see issue 4).
