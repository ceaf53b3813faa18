package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
)

// checkBodyText refuses a JSON body holding text that is not valid UTF-8:
// raw bytes that are not UTF-8, or an escape of half a surrogate pair
// ("\ud800" alone). encoding/json would decode either as U+FFFD without a
// word, so that what is stored is not what was sent. The error names the
// field, as the commands name theirs ("title", "decisions[2].text"), or
// "body" when the text is not in a field.
func checkBodyText(body []byte) error {
	if utf8.Valid(body) && !hasSurrogateEscape(body) {
		return nil
	}
	if field, found := badTextField(body); found {
		return plenary.Invalid(field, forum.MsgNotUTF8)
	}
	if !utf8.Valid(body) {
		return plenary.Invalid("body", forum.MsgNotUTF8)
	}
	return nil // surrogate pairs only, all whole
}

// hasSurrogateEscape reports whether b may hold a \u escape of a surrogate
// (\uD800 to \uDFFF): a cheap look before the token-by-token walk.
func hasSurrogateEscape(b []byte) bool {
	for {
		i := bytes.Index(b, []byte(`\u`))
		if i < 0 || i+3 > len(b) {
			return false
		}
		if c := b[i+2]; c == 'd' || c == 'D' {
			return true
		}
		b = b[i+2:]
	}
}

// badRaw reports whether raw, the bytes of one JSON token as sent, holds
// invalid UTF-8 or half a surrogate pair.
func badRaw(raw []byte) bool {
	if !utf8.Valid(raw) {
		return true
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		if i+1 < len(raw) && raw[i+1] != 'u' {
			i++ // \" \\ \n ...: the next byte is not an escape
			continue
		}
		r, ok := hex4(raw, i+2)
		if !ok {
			continue // the decoder reports the bad escape
		}
		i += 5
		switch {
		case r >= 0xDC00 && r <= 0xDFFF:
			return true // a low half without its high half
		case r >= 0xD800 && r <= 0xDBFF:
			lo, ok := rune(0), false
			if i+2 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				lo, ok = hex4(raw, i+3)
			}
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 6
		}
	}
	return false
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[at:at+4]), 16, 32)
	return rune(n), err == nil
}

// frame is one open object or array while walking a JSON body.
type frame struct {
	object  bool
	wantKey bool   // in an object: the next string is a key
	key     string // in an object: the key of the value being read
	index   int    // in an array: the index of the value being read
	path    string // the field this container is
}

// member is the field name of the value being read in f.
func (f *frame) member() string {
	if f.object {
		if f.path == "" {
			return f.key
		}
		return f.path + "." + f.key
	}
	p := f.path
	if p == "" {
		p = "body"
	}
	return p + "[" + strconv.Itoa(f.index) + "]"
}

// badTextField walks body token by token and returns the field of the first
// string whose bytes are not valid text. It stops, finding nothing, where
// the body is not JSON: decoding it then says so.
func badTextField(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []*frame
	top := func() *frame {
		if len(stack) == 0 {
			return nil
		}
		return stack[len(stack)-1]
	}
	// done advances the container past the value just read.
	done := func() {
		if f := top(); f != nil {
			if f.object {
				f.wantKey = true
			} else {
				f.index++
			}
		}
	}
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		raw := body[start:dec.InputOffset()]
		f := top()
		if s, isString := tok.(string); isString && f != nil && f.object && f.wantKey {
			if badRaw(raw) {
				if f.path == "" {
					return "body", true
				}
				return f.path, true
			}
			f.key, f.wantKey = s, false
			continue
		}
		if badRaw(raw) {
			if f == nil {
				return "body", true
			}
			return f.member(), true
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			path := ""
			if f != nil {
				path = f.member()
			}
			stack = append(stack, &frame{object: tok == json.Delim('{'), wantKey: true, path: path})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			done()
		default:
			done()
		}
	}
}
