package decisions

import "encoding/hex"

func hexNonce(s string) ([]byte, error) { return hex.DecodeString(s) }
