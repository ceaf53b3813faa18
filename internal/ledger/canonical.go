package ledger

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"slices"
	"unicode/utf8"
)

// Limits of the canonical JSON form. They bound the work one payload can
// cause; no payload a command produces comes near them.
const (
	// MaxJSONDepth is the deepest nesting of objects and arrays accepted.
	MaxJSONDepth = 128
	// MaxNumberDigits is the longest canonical number accepted, in bytes.
	// It rejects values such as 1e999999999, whose canonical decimal form
	// would be enormous.
	MaxNumberDigits = 1024
)

// CanonicalJSON returns the canonical form of the JSON value raw (any
// value, not only an object):
//
//   - no whitespace outside strings;
//   - object members sorted by key, comparing the keys' UTF-8 bytes
//     (that is, by code point; this differs from RFC 8785, which sorts by
//     UTF-16 code units); duplicate keys are an error;
//   - strings with only these escapes: \" \\ \b \f \n \r \t, and \u00XX
//     (lowercase hex) for the other control characters below U+0020;
//     every other character, including "/", U+007F and U+2028, written as
//     its UTF-8 bytes; input escapes such as \u00e9 or surrogate pairs are
//     decoded first;
//   - numbers as exact decimals with no exponent, no leading zeros, no
//     trailing zeros after the point, no point when there is no
//     fraction, and no minus sign on zero: 1.50, 15e-1 and 0.15E1 all
//     become 1.5; 1e2 and 100.0 become 100; -0 becomes 0. The value is
//     never rounded;
//   - true, false and null as themselves.
//
// These rules make the form independent of how a database stores JSON:
// PostgreSQL jsonb reorders keys, drops whitespace and rewrites 1e2 as
// 100, SQLite keeps the text, and both come back to the same canonical
// bytes.
//
// Input that is not valid JSON (RFC 8259) is an error, and so are invalid
// UTF-8, lone surrogates in \u escapes, and U+0000 in a string (PostgreSQL
// jsonb cannot store it), nesting deeper than MaxJSONDepth and numbers whose
// canonical form exceeds MaxNumberDigits bytes.
func CanonicalJSON(raw []byte) ([]byte, error) {
	var c canonicalizer
	out, err := c.canonical(nil, raw)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// JSONError reports input that CanonicalJSON rejects, with the byte offset
// at which the problem was found.
type JSONError struct {
	Offset int
	Msg    string
}

func (e *JSONError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.Offset, e.Msg)
}

// canonicalizer holds scratch buffers reused across calls, so that a
// Verifier canonicalising millions of payloads allocates almost nothing.
// It is not safe for concurrent use.
type canonicalizer struct {
	in      []byte
	pos     int
	out     []byte
	keys    []byte   // decoded keys of the objects being parsed, a stack
	members []member // members of the objects being parsed, a stack
	tmp     []byte   // scratch for reordering members
	payload []byte   // kept output buffer for payloads (see payloadDigest)
	depth   int
	err     *JSONError
}

// member is one object member already written to out: out[start:end] is
// `"key":value`, and keys[k0:k1] is the decoded key.
type member struct {
	start, end int
	k0, k1     int
}

// canonical appends the canonical form of raw to dst.
func (c *canonicalizer) canonical(dst, raw []byte) ([]byte, error) {
	c.in, c.pos, c.out, c.depth, c.err = raw, 0, dst, 0, nil
	c.keys = c.keys[:0]
	c.members = c.members[:0]
	c.skipSpace()
	c.value()
	if c.err == nil {
		c.skipSpace()
		if c.pos != len(c.in) {
			c.fail("unexpected data after the value")
		}
	}
	out := c.out
	c.in, c.out = nil, nil
	if c.err != nil {
		return nil, c.err
	}
	return out, nil
}

func (c *canonicalizer) fail(format string, args ...any) {
	if c.err == nil {
		c.err = &JSONError{Offset: c.pos, Msg: fmt.Sprintf(format, args...)}
	}
}

func (c *canonicalizer) skipSpace() {
	for c.pos < len(c.in) {
		switch c.in[c.pos] {
		case ' ', '\t', '\n', '\r':
			c.pos++
		default:
			return
		}
	}
}

func (c *canonicalizer) value() {
	if c.pos >= len(c.in) {
		c.fail("unexpected end of input")
		return
	}
	switch b := c.in[c.pos]; {
	case b == '{':
		c.object()
	case b == '[':
		c.array()
	case b == '"':
		c.str(false)
	case b == '-' || ('0' <= b && b <= '9'):
		c.number()
	case b == 't':
		c.literal("true")
	case b == 'f':
		c.literal("false")
	case b == 'n':
		c.literal("null")
	default:
		c.fail("unexpected character %q", b)
	}
}

func (c *canonicalizer) literal(lit string) {
	if !bytes.HasPrefix(c.in[c.pos:], []byte(lit)) {
		c.fail("invalid literal, expected %s", lit)
		return
	}
	c.pos += len(lit)
	c.out = append(c.out, lit...)
}

func (c *canonicalizer) enter() bool {
	c.depth++
	if c.depth > MaxJSONDepth {
		c.fail("nesting deeper than %d", MaxJSONDepth)
		return false
	}
	return true
}

func (c *canonicalizer) array() {
	if !c.enter() {
		return
	}
	c.pos++ // '['
	c.out = append(c.out, '[')
	c.skipSpace()
	if c.pos < len(c.in) && c.in[c.pos] == ']' {
		c.pos++
		c.out = append(c.out, ']')
		c.depth--
		return
	}
	for c.err == nil {
		c.skipSpace()
		c.value()
		if c.err != nil {
			return
		}
		c.skipSpace()
		if c.pos >= len(c.in) {
			c.fail("unexpected end of input in array")
			return
		}
		switch c.in[c.pos] {
		case ',':
			c.pos++
			c.out = append(c.out, ',')
		case ']':
			c.pos++
			c.out = append(c.out, ']')
			c.depth--
			return
		default:
			c.fail("expected , or ] in array")
			return
		}
	}
}

func (c *canonicalizer) object() {
	if !c.enter() {
		return
	}
	c.pos++ // '{'
	c.out = append(c.out, '{')
	start := len(c.out)
	mbase, kbase := len(c.members), len(c.keys)
	c.skipSpace()
	if c.pos < len(c.in) && c.in[c.pos] == '}' {
		c.pos++
		c.out = append(c.out, '}')
		c.depth--
		return
	}
	sorted := true
	for c.err == nil {
		c.skipSpace()
		if c.pos >= len(c.in) || c.in[c.pos] != '"' {
			c.fail("expected a string key in object")
			return
		}
		if len(c.members) > mbase {
			c.out = append(c.out, ',')
		}
		m := member{start: len(c.out), k0: len(c.keys)}
		c.str(true)
		if c.err != nil {
			return
		}
		m.k1 = len(c.keys)
		if n := len(c.members); n > mbase {
			prev := c.members[n-1]
			switch cmp := bytes.Compare(c.keys[prev.k0:prev.k1], c.keys[m.k0:m.k1]); {
			case cmp == 0:
				c.fail("duplicate key %q", c.keys[m.k0:m.k1])
				return
			case cmp > 0:
				sorted = false
			}
		}
		c.skipSpace()
		if c.pos >= len(c.in) || c.in[c.pos] != ':' {
			c.fail("expected : after object key")
			return
		}
		c.pos++
		c.out = append(c.out, ':')
		c.skipSpace()
		c.value()
		if c.err != nil {
			return
		}
		m.end = len(c.out)
		c.members = append(c.members, m)
		c.skipSpace()
		if c.pos >= len(c.in) {
			c.fail("unexpected end of input in object")
			return
		}
		if c.in[c.pos] == ',' {
			c.pos++
			continue
		}
		if c.in[c.pos] != '}' {
			c.fail("expected , or } in object")
			return
		}
		c.pos++
		break
	}
	if !sorted {
		c.reorder(start, c.members[mbase:])
	}
	if c.err != nil {
		return
	}
	c.out = append(c.out, '}')
	c.members = c.members[:mbase]
	c.keys = c.keys[:kbase]
	c.depth--
}

// reorder rewrites out[start:] with the members ms in key order.
func (c *canonicalizer) reorder(start int, ms []member) {
	slices.SortFunc(ms, func(a, b member) int {
		return bytes.Compare(c.keys[a.k0:a.k1], c.keys[b.k0:b.k1])
	})
	for i := 1; i < len(ms); i++ {
		if bytes.Equal(c.keys[ms[i-1].k0:ms[i-1].k1], c.keys[ms[i].k0:ms[i].k1]) {
			c.fail("duplicate key %q", c.keys[ms[i].k0:ms[i].k1])
			return
		}
	}
	c.tmp = append(c.tmp[:0], c.out[start:]...)
	c.out = c.out[:start]
	for i, m := range ms {
		if i > 0 {
			c.out = append(c.out, ',')
		}
		c.out = append(c.out, c.tmp[m.start-start:m.end-start]...)
	}
}

// plain reports the bytes a string can hold as they are: printable ASCII
// other than the quote and the backslash.
var plain = func() (t [256]bool) {
	for b := 0x20; b < 0x80; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// str parses a string at c.pos and writes its canonical form; when key is
// set it also appends the decoded bytes to c.keys.
func (c *canonicalizer) str(key bool) {
	c.pos++ // opening quote
	c.out = append(c.out, '"')
	for {
		// Copy a run of bytes that need no work.
		i := c.pos
		for i < len(c.in) && plain[c.in[i]] {
			i++
		}
		if i > c.pos {
			c.out = append(c.out, c.in[c.pos:i]...)
			if key {
				c.keys = append(c.keys, c.in[c.pos:i]...)
			}
			c.pos = i
		}
		if c.pos >= len(c.in) {
			c.fail("unterminated string")
			return
		}
		b := c.in[c.pos]
		switch {
		case b == '"':
			c.pos++
			c.out = append(c.out, '"')
			return
		case b == '\\':
			r, ok := c.escape()
			if !ok {
				return
			}
			c.putRune(r, key)
		case b < 0x20:
			c.fail("control character %#02x in string", b)
			return
		default: // b >= 0x80
			r, size := utf8.DecodeRune(c.in[c.pos:])
			if r == utf8.RuneError && size <= 1 {
				c.fail("invalid UTF-8 in string")
				return
			}
			c.out = append(c.out, c.in[c.pos:c.pos+size]...)
			if key {
				c.keys = append(c.keys, c.in[c.pos:c.pos+size]...)
			}
			c.pos += size
		}
	}
}

// escape decodes the escape sequence at c.pos.
func (c *canonicalizer) escape() (rune, bool) {
	if c.pos+1 >= len(c.in) {
		c.fail("unterminated escape")
		return 0, false
	}
	e := c.in[c.pos+1]
	c.pos += 2
	switch e {
	case '"', '\\', '/':
		return rune(e), true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'u':
		r, ok := c.hex4()
		if !ok {
			return 0, false
		}
		switch {
		case r == 0:
			c.fail(`\u0000 is not allowed (PostgreSQL jsonb cannot store it)`)
			return 0, false
		case 0xD800 <= r && r < 0xDC00:
			if c.pos+1 >= len(c.in) || c.in[c.pos] != '\\' || c.in[c.pos+1] != 'u' {
				c.fail("lone high surrogate")
				return 0, false
			}
			c.pos += 2
			lo, ok := c.hex4()
			if !ok {
				return 0, false
			}
			if lo < 0xDC00 || lo > 0xDFFF {
				c.fail("high surrogate not followed by a low surrogate")
				return 0, false
			}
			return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), true
		case 0xDC00 <= r && r <= 0xDFFF:
			c.fail("lone low surrogate")
			return 0, false
		}
		return r, true
	}
	c.fail("invalid escape \\%c", e)
	return 0, false
}

func (c *canonicalizer) hex4() (rune, bool) {
	if c.pos+4 > len(c.in) {
		c.fail("short \\u escape")
		return 0, false
	}
	var b [2]byte
	if _, err := hex.Decode(b[:], c.in[c.pos:c.pos+4]); err != nil {
		c.fail("invalid hex digit in \\u escape")
		return 0, false
	}
	c.pos += 4
	return rune(b[0])<<8 | rune(b[1]), true
}

// putRune writes r, decoded from an escape, in canonical form.
func (c *canonicalizer) putRune(r rune, key bool) {
	if key {
		c.keys = utf8.AppendRune(c.keys, r)
	}
	switch r {
	case '"':
		c.out = append(c.out, '\\', '"')
	case '\\':
		c.out = append(c.out, '\\', '\\')
	case '\b':
		c.out = append(c.out, '\\', 'b')
	case '\f':
		c.out = append(c.out, '\\', 'f')
	case '\n':
		c.out = append(c.out, '\\', 'n')
	case '\r':
		c.out = append(c.out, '\\', 'r')
	case '\t':
		c.out = append(c.out, '\\', 't')
	default:
		if r < 0x20 {
			c.out = append(c.out, '\\', 'u', '0', '0')
			c.out = hex.AppendEncode(c.out, []byte{byte(r)})
			return
		}
		c.out = utf8.AppendRune(c.out, r)
	}
}

// number parses a JSON number at c.pos and writes it as an exact decimal.
func (c *canonicalizer) number() {
	start := c.pos
	neg := false
	if c.in[c.pos] == '-' {
		neg = true
		c.pos++
	}
	intStart := c.pos
	c.digits()
	intEnd := c.pos
	if intEnd == intStart {
		c.fail("invalid number")
		return
	}
	if c.in[intStart] == '0' && intEnd-intStart > 1 {
		c.fail("leading zero in number")
		return
	}
	fracStart, fracEnd := c.pos, c.pos
	if c.pos < len(c.in) && c.in[c.pos] == '.' {
		c.pos++
		fracStart = c.pos
		c.digits()
		fracEnd = c.pos
		if fracEnd == fracStart {
			c.fail("no digits after the decimal point")
			return
		}
	}
	var exp int64
	hasExp := false
	if c.pos < len(c.in) && (c.in[c.pos] == 'e' || c.in[c.pos] == 'E') {
		hasExp = true
		c.pos++
		expNeg := false
		if c.pos < len(c.in) && (c.in[c.pos] == '+' || c.in[c.pos] == '-') {
			expNeg = c.in[c.pos] == '-'
			c.pos++
		}
		es := c.pos
		c.digits()
		if c.pos == es {
			c.fail("no digits in exponent")
			return
		}
		for _, d := range c.in[es:c.pos] {
			exp = exp*10 + int64(d-'0')
			if exp > 1<<40 {
				c.fail("exponent out of range")
				return
			}
		}
		if expNeg {
			exp = -exp
		}
	}
	// Fast path: an integer already in canonical form.
	if !hasExp && fracStart == fracEnd && !(neg && c.in[intStart] == '0') {
		if c.pos-start > MaxNumberDigits {
			c.fail("number longer than %d digits", MaxNumberDigits)
			return
		}
		c.out = append(c.out, c.in[start:c.pos]...)
		return
	}
	c.decimal(neg, c.in[intStart:intEnd], c.in[fracStart:fracEnd], exp)
}

func (c *canonicalizer) digits() {
	for c.pos < len(c.in) && '0' <= c.in[c.pos] && c.in[c.pos] <= '9' {
		c.pos++
	}
}

// decimal writes the exact decimal value of int.frac × 10^exp.
func (c *canonicalizer) decimal(neg bool, intPart, frac []byte, exp int64) {
	// The significant digits are intPart+frac with leading and trailing
	// zeros removed; point is the position of the decimal point relative
	// to the first significant digit.
	lead := 0
	for lead < len(intPart) && intPart[lead] == '0' {
		lead++
	}
	var ds []byte // significant digits, may span both parts
	point := int64(len(intPart)-lead) + exp
	if lead == len(intPart) {
		// Integer part is zero: skip leading zeros of the fraction.
		f := 0
		for f < len(frac) && frac[f] == '0' {
			f++
		}
		point -= int64(f)
		ds = frac[f:]
	} else if len(frac) == 0 {
		ds = intPart[lead:]
	} else {
		c.tmp = append(append(c.tmp[:0], intPart[lead:]...), frac...)
		ds = c.tmp
	}
	for len(ds) > 0 && ds[len(ds)-1] == '0' {
		ds = ds[:len(ds)-1]
	}
	if len(ds) == 0 {
		c.out = append(c.out, '0')
		return
	}
	n := int64(len(ds))
	var size int64
	switch {
	case point <= 0:
		size = 2 - point + n
	case point >= n:
		size = point
	default:
		size = n + 1
	}
	if size > MaxNumberDigits {
		c.fail("number longer than %d digits", MaxNumberDigits)
		return
	}
	if neg {
		c.out = append(c.out, '-')
	}
	switch {
	case point <= 0:
		c.out = append(c.out, '0', '.')
		for i := int64(0); i < -point; i++ {
			c.out = append(c.out, '0')
		}
		c.out = append(c.out, ds...)
	case point >= n:
		c.out = append(c.out, ds...)
		for i := n; i < point; i++ {
			c.out = append(c.out, '0')
		}
	default:
		c.out = append(c.out, ds[:point]...)
		c.out = append(c.out, '.')
		c.out = append(c.out, ds[point:]...)
	}
}
