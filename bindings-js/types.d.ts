// What only the browser package declares; the JSON shapes (Query, SearchResult<T>, Place,
// ErrorInfo…) come before this, generated from the core's Rust types (tools/gen-types) into
// bindings-node/lib/types.d.ts, the file the Node package ships. wasm-bindgen puts both into
// the generated metiers_web.d.ts (typescript_custom_section in src/lib.rs).

/** The bytes of a document: text, or UTF-8 in a Uint8Array. */
/** Text, or the bytes of a file: a `Uint8Array` (a Node `Buffer`), an `ArrayBuffer` (`fetch(…).arrayBuffer()`) or a `DataView`. */
export type Data = string | Uint8Array | ArrayBuffer | DataView
/** @deprecated the generated name is `Entity`. */
export type EntityName = Entity

/** A library error, thrown as an `Error` whose `name` is `"MetiersError"`, with the fields of `ErrorInfo`. */
export interface MetiersError extends Error, Omit<ErrorInfo, 'message'> {
  name: 'MetiersError'
}
