// Package ledger defines the record of Plenary: events chained by SHA-256,
// Ed25519-signed checkpoints of the chain head, the export format, and the
// verifier that checks a chain from an export or a database. It does no
// storage itself: the store persists events and checkpoints and calls this
// package to seal and verify them.
//
// Every accepted command appends one event to a chain: one chain per
// forum (the chain id is the forum id), and the chain "site" for events
// that belong to no forum, such as accounts. Events are never updated or
// deleted; a correction is a new event.
//
// # Events and their hash
//
// An event has a chain, a sequence number (1, 2, 3... with no gaps), a
// time (UTC, whole milliseconds), an actor (a user id or "system"), a type
// ("forum.created"), a visibility and a JSON object payload. Seal checks a
// new event against the head of its chain and sets PrevHash, Salt and
// Hash. Hash is the SHA-256, written as 64 lowercase hex digits, of the
// canonical encoding, version 1:
//
//	"plenary-event/v1\n"         17 bytes
//	str(chain)
//	u64(seq)
//	i64(at)                      milliseconds since 1970-01-01T00:00:00Z
//	str(actor)
//	str(type)
//	str(visibility)
//	payload_digest               32 bytes
//	prev_hash                    32 bytes; all zero for seq 1
//
// where str(s) is u32(len(s)) followed by the UTF-8 bytes of s, and u32,
// u64 and i64 are big-endian (i64 in two's complement). Every field has
// either a fixed size or a length prefix, so no two different events
// share an encoding. prev_hash is the previous event's Hash, decoded; in
// the JSON form the first event's prev_hash is the empty string, and every
// later one must be 64 lowercase hex digits (uppercase is refused, so a
// hash has one written form).
//
// The encoding commits to the payload only through its digest:
//
//	payload_digest = SHA-256(CanonicalJSON(payload))                 when salt is empty
//	payload_digest = HMAC-SHA-256(key: salt, CanonicalJSON(payload)) otherwise
//
// Public events have no salt: their digest is the plain SHA-256 of the
// canonical payload, which anyone can recompute with sha256sum. Seal gives
// every other event a salt of 32 random bytes (64 hex digits). This is
// what makes redaction work: a redacted event (Event.Redact) drops the
// payload and the salt and keeps payload_hash, the hex digest, so its Hash
// still verifies and the chain stays whole; and because the salt is
// withheld too, a reader cannot recover a short payload, such as
// {"vote":"yes"} in a secret ballot, by hashing guesses. A redacted event
// still shows its chain, seq, time, actor, type and visibility.
//
// # Canonical JSON
//
// CanonicalJSON specifies the payload form: no whitespace; object keys
// sorted by their UTF-8 bytes, duplicates refused; strings escaped only
// where JSON requires (\" \\ \b \f \n \r \t and \u00xx for other control
// characters), everything else as UTF-8; numbers as exact decimals
// without exponent or superfluous zeros (1.50 and 15e-1 are 1.5, 1e2 is
// 100, -0 is 0). PostgreSQL jsonb reorders keys, strips whitespace and
// rewrites some numbers; SQLite keeps text as given; the canonical form of
// what either returns is the same, so hashes survive a round trip through
// any store. U+0000 and lone surrogates are refused because jsonb cannot
// store them.
//
// # Checkpoints
//
// A Checkpoint signs the head of a chain (chain, seq, hash) at a time,
// with the server's Ed25519 key. The signature covers exactly these bytes
// (Checkpoint.Message):
//
//	plenary-checkpoint/v1\n
//	<chain>\n
//	<seq in decimal>\n
//	<hash, 64 lowercase hex digits>\n
//	<time in milliseconds since the Unix epoch, decimal>\n
//
// and is written in standard base64. KeyID names the key: the first 8
// bytes of the SHA-256 of the 32-byte public key, in hex (16 digits). The
// model is the signed tree head of Certificate Transparency (RFC 9162); a
// hash chain head is enough here, because readers verify whole chains, not
// single-entry inclusion proofs.
//
// The key file (LoadOrCreateKey) is a PEM "PRIVATE KEY" block holding
// PKCS#8 (RFC 8410), mode 0600, created on first start; openssl can read
// it (openssl pkey -in ledger.key -pubout). In configuration a key can be
// given as base64 of the 32-byte seed (ParseKey).
//
// # Export format
//
// An export (format "plenary-ledger/v1") is UTF-8 JSON lines: one JSON
// object per line, each ended by "\n" ("\r\n" is accepted when reading;
// blank lines are not, except at the end, where they are ignored). The
// first line is the header:
//
//	{"format":"plenary-ledger/v1","chain":"<id>","public_key":"<base64>","key_id":"<16 hex>",
//	 "previous_keys":[{"key_id":...,"public_key":...}],"filter":"public","exported_at":"<RFC 3339>"}
//
// where public_key, key_id, previous_keys, filter and exported_at are
// optional. Every later line is an event or a checkpoint. An event line is
// the Event object:
//
//	{"chain":"f1","seq":12,"at":"2013-05-14T09:30:00.125Z","actor":"u7","type":"amendment.submitted",
//	 "visibility":"members","payload":{...},"salt":"<64 hex>","prev_hash":"<64 hex>","hash":"<64 hex>"}
//
// A redacted event line has "payload_hash":"<64 hex>" in place of payload
// and salt. A checkpoint line is {"checkpoint":{"chain":...,"seq":...,
// "hash":...,"at":...,"key_id":...,"signature":...}}. Events appear in
// sequence order from 1, with no gaps; a checkpoint comes right after the
// event it signs, and the export ends with a checkpoint of its last event
// (Writer.Flush fails otherwise). Field names are exact (lowercase, as above) and appear
// at most once; unknown fields are errors. Whitespace between tokens and
// the order of fields do not matter, and payloads may be written in any
// JSON form with the same canonical form. Writer writes this format, with
// fields in the order shown and the payload in canonical form; Reader
// reads it.
//
// # Verification
//
// VerifyStream reads an export once, in constant memory, and a Verifier
// does the same for events fed from a database. For each event it checks,
// in this order: the chain, the sequence number (the next one expected),
// the link (prev_hash equals the previous event's hash), the form of every
// field, and the hash of the canonical encoding. For each checkpoint it
// checks that it signs the event just verified, the key, the signature,
// and that the signed hash is that event's hash. At the end
// (Verifier.Finish) it checks that a checkpoint signs the last event:
// every command signs the head it leaves, so events after the last
// checkpoint are vouched for by no signature (anyone holding an export
// could have appended them) and are an error. It stops at the first
// defect and names the first bad sequence number:
//
//	event 4812: hash mismatch
//	event 12: prev_hash does not match event 11
//	event 500: missing (found event 501 in its place)
//	event 901: not signed: the chain ends at event 950, but the last checkpoint signs event 900
//	checkpoint at 5000: bad signature
//	checkpoint at 5000: signed hash does not match event 5000: events after checkpoint at 4000 were rewritten
//
// The checkpoints inside an export cannot show that it was cut back to an
// earlier checkpoint, or rewritten and signed again by the key's holder.
// A checkpoint obtained earlier can: given one (VerifyOptions.Since, read
// with ParseCheckpoint from the JSON a server publishes, EncodeCheckpoint),
// verification also proves that the chain extends it, with the same hash
// at its sequence number:
//
//	earlier checkpoint at 500: event 500 has another hash: the chain was rewritten at or before event 500 after that checkpoint was signed
//	event 401: missing: the chain ends at event 400, but the earlier checkpoint signs event 500
//
// docs/RECORD.md specifies the record (encoding, chain, checkpoints,
// export, verification) for other implementations.
package ledger
