"""What leaves the store for people and partner tools: flat claim tables (CSV, XLSX, a wide
actor x kind matrix), compacted JSON-LD with the published @context, and the HTML report.
Everything here reads the store through SPARQL and the saved queries; nothing writes to it."""
