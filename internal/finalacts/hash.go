package finalacts

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// hashPreamble begins the serialization that TextHash hashes.
const hashPreamble = "plenary final acts v1\n"

// TextHash is the hash of a text of the final acts: SHA-256, in lower-case
// hex, over "plenary final acts v1\n" followed, for each provision in
// order, by its Key, Label and Text, each as a netstring (its length in
// bytes in decimal, ':', the bytes, ','), and a newline. Nothing else of a
// provision is hashed: its key fixes its identity in the drafting history,
// its label and text what is signed.
func TextHash(ps []Provision) string {
	h := sha256.New()
	h.Write([]byte(hashPreamble))
	for _, p := range ps {
		for _, f := range []string{p.Key, p.Label, p.Text} {
			h.Write([]byte(strconv.Itoa(len(f))))
			h.Write([]byte{':'})
			h.Write([]byte(f))
			h.Write([]byte{','})
		}
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// short is the first 12 characters of a hash, for messages.
func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
