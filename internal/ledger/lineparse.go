package ledger

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// lineParser decodes the event and checkpoint lines of an export without
// reflection: verification spends most of its time here. It accepts a
// subset of what encoding/json would: object keys must match exactly
// (encoding/json ignores case), may not repeat, string fields may not be
// null, and strings must be valid UTF-8 without lone surrogates. What it
// accepts, it decodes as encoding/json does.
type lineParser struct {
	in  []byte
	pos int
	buf []byte // scratch for unescaping strings
	// The last values of the fields that rarely change, reused so that
	// decoding them does not allocate.
	chain, actor, typ, vis, hash string
	// cpSeen has a bit set for each field of the last checkpoint object
	// decoded (cpAllFields when all six were there).
	cpSeen uint8
}

// cpAllFields is lineParser.cpSeen for a checkpoint with every field.
const cpAllFields = 1<<6 - 1

// errSyntax is wrapped in every parse error.
var errSyntax = errors.New("not a valid line")

func (p *lineParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: offset %d: %s", errSyntax, p.pos, fmt.Sprintf(format, args...))
}

// parse decodes line into e or cp, and reports which: isCP is set for a
// checkpoint line. e.Payload aliases line unless copyPayload is set.
func (p *lineParser) parse(line []byte, e *Event, cp *Checkpoint, copyPayload bool) (isCP bool, err error) {
	p.in, p.pos = line, 0
	*e = Event{}
	p.space()
	if !p.consume('{') {
		return false, p.errorf("expected {")
	}
	var seen uint16
	first := true
	for {
		p.space()
		if p.consume('}') {
			break
		}
		if !first && !p.consume(',') {
			return false, p.errorf("expected , or }")
		}
		first = false
		p.space()
		key, err := p.key()
		if err != nil {
			return false, err
		}
		p.space()
		if !p.consume(':') {
			return false, p.errorf("expected :")
		}
		p.space()
		bit, err := p.eventField(key, e, cp, &isCP, copyPayload)
		if err != nil {
			return false, err
		}
		if seen&bit != 0 {
			return false, p.errorf("field %q repeated", key)
		}
		seen |= bit
	}
	p.space()
	if p.pos != len(p.in) {
		return false, p.errorf("data after the JSON object")
	}
	if isCP && seen != 1<<15 {
		return false, p.errorf("checkpoint line with event fields")
	}
	return isCP, nil
}

// eventField decodes the value of one field of an event line and returns
// its bit in the set of fields seen.
func (p *lineParser) eventField(key []byte, e *Event, cp *Checkpoint, isCP *bool, copyPayload bool) (uint16, error) {
	var err error
	switch string(key) {
	case "chain":
		e.Chain, err = p.cachedString(&p.chain)
		return 1 << 0, err
	case "seq":
		e.Seq, err = p.int64()
		return 1 << 1, err
	case "at":
		e.At, err = p.time()
		return 1 << 2, err
	case "actor":
		e.Actor, err = p.cachedString(&p.actor)
		return 1 << 3, err
	case "type":
		e.Type, err = p.cachedString(&p.typ)
		return 1 << 4, err
	case "visibility":
		e.Visibility, err = p.cachedString(&p.vis)
		return 1 << 5, err
	case "payload":
		start := p.pos
		if err := p.skipValue(); err != nil {
			return 0, err
		}
		raw := p.in[start:p.pos]
		if copyPayload {
			raw = append([]byte(nil), raw...)
		}
		e.Payload = raw
		return 1 << 6, nil
	case "payload_hash":
		e.PayloadHash, err = p.string()
		return 1 << 7, err
	case "salt":
		e.Salt, err = p.string()
		return 1 << 8, err
	case "prev_hash":
		// In a chain, prev_hash repeats the previous line's hash.
		e.PrevHash, err = p.cachedString(&p.hash)
		return 1 << 9, err
	case "hash":
		e.Hash, err = p.string()
		p.hash = e.Hash
		return 1 << 10, err
	case "checkpoint":
		*isCP = true
		return 1 << 15, p.checkpoint(cp)
	}
	return 0, p.errorf("unknown field %q", key)
}

// checkpoint decodes the object of a checkpoint line.
func (p *lineParser) checkpoint(cp *Checkpoint) error {
	*cp = Checkpoint{}
	p.cpSeen = 0
	if !p.consume('{') {
		return p.errorf("checkpoint is not an object")
	}
	var seen uint8
	first := true
	for {
		p.space()
		if p.consume('}') {
			p.cpSeen = seen
			return nil
		}
		if !first && !p.consume(',') {
			return p.errorf("expected , or }")
		}
		first = false
		p.space()
		key, err := p.key()
		if err != nil {
			return err
		}
		p.space()
		if !p.consume(':') {
			return p.errorf("expected :")
		}
		p.space()
		var bit uint8
		switch string(key) {
		case "chain":
			bit = 1 << 0
			cp.Chain, err = p.cachedString(&p.chain)
		case "seq":
			bit = 1 << 1
			cp.Seq, err = p.int64()
		case "hash":
			bit = 1 << 2
			cp.Hash, err = p.string()
		case "at":
			bit = 1 << 3
			cp.At, err = p.time()
		case "key_id":
			bit = 1 << 4
			cp.KeyID, err = p.string()
		case "signature":
			bit = 1 << 5
			cp.Signature, err = p.string()
		default:
			return p.errorf("unknown field %q in checkpoint", key)
		}
		if err != nil {
			return err
		}
		if seen&bit != 0 {
			return p.errorf("checkpoint field %q repeated", key)
		}
		seen |= bit
	}
}

func (p *lineParser) space() {
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *lineParser) consume(b byte) bool {
	if p.pos < len(p.in) && p.in[p.pos] == b {
		p.pos++
		return true
	}
	return false
}

// rawString parses a string and returns its decoded bytes, which alias
// the input when there are no escapes and p.buf otherwise.
func (p *lineParser) rawString() ([]byte, error) {
	if !p.consume('"') {
		return nil, p.errorf("expected a string")
	}
	start := p.pos
	for p.pos < len(p.in) {
		b := p.in[p.pos]
		switch {
		case b == '"':
			s := p.in[start:p.pos]
			p.pos++
			return s, nil
		case b == '\\':
			return p.escapedString(start)
		case b < 0x20:
			return nil, p.errorf("control character in string")
		case b < 0x80:
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.in[p.pos:])
			if r == utf8.RuneError && size <= 1 {
				return nil, p.errorf("invalid UTF-8 in string")
			}
			p.pos += size
		}
	}
	return nil, p.errorf("unterminated string")
}

// escapedString continues a string that has escapes, from its start.
func (p *lineParser) escapedString(start int) ([]byte, error) {
	p.buf = append(p.buf[:0], p.in[start:p.pos]...)
	// Reuse the canonicalizer's escape decoding.
	var c canonicalizer
	for p.pos < len(p.in) {
		b := p.in[p.pos]
		switch {
		case b == '"':
			p.pos++
			return p.buf, nil
		case b == '\\':
			c.in, c.pos = p.in, p.pos
			r, ok := c.escape()
			if !ok {
				p.pos = c.err.Offset
				return nil, p.errorf("%s", c.err.Msg)
			}
			p.pos = c.pos
			p.buf = utf8.AppendRune(p.buf, r)
		case b < 0x20:
			return nil, p.errorf("control character in string")
		case b < 0x80:
			p.buf = append(p.buf, b)
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.in[p.pos:])
			if r == utf8.RuneError && size <= 1 {
				return nil, p.errorf("invalid UTF-8 in string")
			}
			p.buf = append(p.buf, p.in[p.pos:p.pos+size]...)
			p.pos += size
		}
	}
	return nil, p.errorf("unterminated string")
}

func (p *lineParser) key() ([]byte, error) { return p.rawString() }

func (p *lineParser) string() (string, error) {
	b, err := p.rawString()
	return string(b), err
}

// cachedString returns the string, reusing *last when it is the same.
func (p *lineParser) cachedString(last *string) (string, error) {
	b, err := p.rawString()
	if err != nil {
		return "", err
	}
	if string(b) != *last {
		*last = string(b)
	}
	return *last, nil
}

// int64 parses an integer: digits with an optional minus sign, no
// fraction or exponent, within the range of int64.
func (p *lineParser) int64() (int64, error) {
	neg := p.consume('-')
	start := p.pos
	var n uint64
	for p.pos < len(p.in) && '0' <= p.in[p.pos] && p.in[p.pos] <= '9' {
		d := uint64(p.in[p.pos] - '0')
		if n > (1<<63-d)/10 {
			return 0, p.errorf("integer out of range")
		}
		n = n*10 + d
		p.pos++
	}
	switch {
	case p.pos == start:
		return 0, p.errorf("expected an integer")
	case p.in[start] == '0' && p.pos-start > 1:
		return 0, p.errorf("leading zero in integer")
	case p.pos < len(p.in) && (p.in[p.pos] == '.' || p.in[p.pos] == 'e' || p.in[p.pos] == 'E'):
		return 0, p.errorf("expected an integer")
	}
	if neg {
		return -int64(n), nil
	}
	if n > 1<<63-1 {
		return 0, p.errorf("integer out of range")
	}
	return int64(n), nil
}

// time parses an RFC 3339 string as encoding/json does.
func (p *lineParser) time() (time.Time, error) {
	start := p.pos
	if _, err := p.rawString(); err != nil {
		return time.Time{}, err
	}
	var t time.Time
	if err := t.UnmarshalJSON(p.in[start:p.pos]); err != nil {
		return time.Time{}, p.errorf("%v", err)
	}
	return t, nil
}

// skipValue moves past one JSON value. It checks strings and bracket
// balance only; the payload is fully checked when it is canonicalised.
func (p *lineParser) skipValue() error {
	if p.pos >= len(p.in) {
		return p.errorf("expected a value")
	}
	switch p.in[p.pos] {
	case '"':
		_, err := p.rawString()
		return err
	case '{', '[':
		depth := 0
		for p.pos < len(p.in) {
			switch p.in[p.pos] {
			case '"':
				if _, err := p.rawString(); err != nil {
					return err
				}
				continue
			case '{', '[':
				depth++
				if depth > MaxJSONDepth {
					return p.errorf("nesting deeper than %d", MaxJSONDepth)
				}
			case '}', ']':
				depth--
				if depth == 0 {
					p.pos++
					return nil
				}
			}
			p.pos++
		}
		return p.errorf("unterminated value")
	}
	// A number or a literal: up to the next delimiter.
	start := p.pos
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			if p.pos == start {
				return p.errorf("expected a value")
			}
			return nil
		}
		p.pos++
	}
	return nil
}
