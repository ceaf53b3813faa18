package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"
)

func TestCanonicalJSON(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Key order.
		{"sorted keys", `{"b":1,"a":2}`, `{"a":2,"b":1}`},
		{"already sorted", `{"a":1,"b":2,"c":3}`, `{"a":1,"b":2,"c":3}`},
		{"reverse order", `{"c":3,"b":2,"a":1}`, `{"a":1,"b":2,"c":3}`},
		{"prefix sorts first", `{"ab":1,"a":2}`, `{"a":2,"ab":1}`},
		{"upper before lower", `{"a":1,"B":2}`, `{"B":2,"a":1}`},
		{"bytes, not locale", `{"é":1,"z":2,"e":3}`, `{"e":3,"z":2,"é":1}`},
		{"code point order, not UTF-16", `{"😀":1,"\uffff":2}`, "{\"\uffff\":2,\"😀\":1}"},
		{"escaped keys compare decoded", `{"\u0061b":1,"a":2}`, `{"a":2,"ab":1}`},
		{"empty key", `{"a":1,"":2}`, `{"":2,"a":1}`},
		// Whitespace.
		{"whitespace", " {\n\t\"a\" : [ 1 , 2 ] ,\r\n \"b\" : { } } ", `{"a":[1,2],"b":{}}`},
		{"whitespace in strings kept", `{"a":" x  y "}`, `{"a":" x  y "}`},
		// Nesting.
		{"nested", `{"z":{"y":1,"x":[{"b":1,"a":2}]},"a":null}`, `{"a":null,"z":{"x":[{"a":2,"b":1}],"y":1}}`},
		{"deep arrays", `[[[[{"b":[],"a":{}}]]]]`, `[[[[{"a":{},"b":[]}]]]]`},
		{"empty object", `{}`, `{}`},
		{"empty array", `[ ]`, `[]`},
		// Strings and escapes.
		{"unicode escapes decoded", `{"k":"\u00e9\u4E2D\ud83d\ude00"}`, `{"k":"é中😀"}`},
		{"raw UTF-8 kept", `{"k":"Résolution 中 😀"}`, `{"k":"Résolution 中 😀"}`},
		{"solidus unescaped", `"a\/b"`, `"a/b"`},
		{"short escapes", `"\"\\\b\f\n\r\t"`, `"\"\\\b\f\n\r\t"`},
		{"control escapes", `"\u0008\u001f\u0001"`, `"\b\u001f\u0001"`},
		{"short escape from \\u", `"\u000a\u0022\u005c"`, `"\n\"\\"`},
		{"DEL and separators literal", `"\u007f\u2028\u2029"`, "\"\x7f\u2028\u2029\""},
		{"html characters literal", `"\u003c\u003e\u0026"`, `"<>&"`},
		// Numbers.
		{"integer", `42`, `42`},
		{"negative integer", `-42`, `-42`},
		{"zero", `0`, `0`},
		{"minus zero", `-0`, `0`},
		{"minus zero fraction", `-0.000`, `0`},
		{"zero exponent", `0e10`, `0`},
		{"big integer kept", `123456789012345678901234567890`, `123456789012345678901234567890`},
		{"trailing zero", `1.50`, `1.5`},
		{"exponent", `1e2`, `100`},
		{"exponent plus", `1E+2`, `100`},
		{"fraction exponent", `1.0e2`, `100`},
		{"negative exponent", `15e-1`, `1.5`},
		{"small", `0.15E1`, `1.5`},
		{"point only zeros", `100.0`, `100`},
		{"tiny", `-1.5e-3`, `-0.0015`},
		{"leading fraction zeros", `0.00120`, `0.0012`},
		{"exponent crossing", `120e-1`, `12`},
		{"exponent shift", `12.345e1`, `123.45`},
		{"jsonb style", `{"n":1.50}`, `{"n":1.5}`},
		{"unit exponent", `2.5e0`, `2.5`},
		// Literals.
		{"literals", `[true,false,null]`, `[true,false,null]`},
		{"top-level string", `"x"`, `"x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalJSON([]byte(tt.in))
			if err != nil {
				t.Fatalf("CanonicalJSON(%s): %v", tt.in, err)
			}
			if string(got) != tt.want {
				t.Errorf("CanonicalJSON(%s)\n got %s\nwant %s", tt.in, got, tt.want)
			}
			again, err := CanonicalJSON(got)
			if err != nil || string(again) != string(got) {
				t.Errorf("not idempotent: %s -> %s (%v)", got, again, err)
			}
		})
	}
}

func TestCanonicalJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", ``, "unexpected end"},
		{"only space", `  `, "unexpected end"},
		{"duplicate key", `{"a":1,"a":2}`, "duplicate key"},
		{"duplicate after reorder", `{"b":1,"a":1,"b":2}`, "duplicate key"},
		{"duplicate via escape", `{"a":1,"\u0061":2}`, "duplicate key"},
		{"bare key", `{a:1}`, "string key"},
		{"trailing comma object", `{"a":1,}`, "string key"},
		{"trailing comma array", `[1,]`, "unexpected character"},
		{"missing colon", `{"a" 1}`, "expected :"},
		{"unclosed object", `{"a":1`, "unexpected end"},
		{"unclosed array", `[1`, "unexpected end"},
		{"leading zero", `01`, "leading zero"},
		{"negative leading zero", `-01`, "leading zero"},
		{"no fraction digits", `1.`, "after the decimal point"},
		{"leading point", `.5`, "unexpected character"},
		{"plus sign", `+1`, "unexpected character"},
		{"lone minus", `-`, "invalid number"},
		{"empty exponent", `1e`, "exponent"},
		{"huge exponent", `1e99999`, "longer than"},
		{"huge negative exponent", `1e-99999`, "longer than"},
		{"absurd exponent", `1e999999999999999999999`, "exponent out of range"},
		{"NaN", `NaN`, "unexpected character"},
		{"lone high surrogate", `"\ud800"`, "lone high surrogate"},
		{"high surrogate then letter", `"\ud800\u0041"`, "not followed by a low surrogate"},
		{"lone low surrogate", `"\udc00"`, "lone low surrogate"},
		{"NUL escape", `"\u0000"`, "not allowed"},
		{"raw control", "\"a\tb\"", "control character"},
		{"invalid UTF-8", "\"\xff\"", "invalid UTF-8"},
		{"overlong UTF-8", "\"\xc0\xaf\"", "invalid UTF-8"},
		{"bad escape", `"\x"`, "invalid escape"},
		{"bad hex", `"\u12g4"`, "invalid hex"},
		{"short hex", `"\u12"`, "short"},
		{"unterminated", `"abc`, "unterminated"},
		{"trailing data", `{"a":1} x`, "after the value"},
		{"two values", `1 2`, "after the value"},
		{"bad literal", `tru`, "invalid literal"},
		{"too deep", strings.Repeat("[", MaxJSONDepth+1) + strings.Repeat("]", MaxJSONDepth+1), "nesting deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalJSON([]byte(tt.in))
			if err == nil {
				t.Fatalf("CanonicalJSON(%q) = %s, want error containing %q", tt.in, got, tt.want)
			}
			var je *JSONError
			if !errors.As(err, &je) {
				t.Errorf("error %T is not a *JSONError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CanonicalJSON(%q) error %q, want it to contain %q", tt.in, err, tt.want)
			}
		})
	}
	// The deepest accepted nesting.
	ok := strings.Repeat("[", MaxJSONDepth) + strings.Repeat("]", MaxJSONDepth)
	if _, err := CanonicalJSON([]byte(ok)); err != nil {
		t.Errorf("nesting %d: %v", MaxJSONDepth, err)
	}
}

// TestCanonicalJSONDatabaseForms checks that a payload and the forms a
// database returns it in all have the same canonical bytes.
func TestCanonicalJSONDatabaseForms(t *testing.T) {
	written := `{"text":"Draft Opinion 1 — \"considering\"","amendment":{"op":"MOD","weight":1.50,"sources":["WTPF-13/5","DT/55"]},"id":7,"ratio":2.5e-1}`
	forms := []string{
		// What PostgreSQL jsonb returns: keys ordered by length then
		// bytes, ", " and ": " separators, numbers as numeric text.
		`{"id": 7, "text": "Draft Opinion 1 — \"considering\"", "ratio": 0.25, "amendment": {"op": "MOD", "weight": 1.50, "sources": ["WTPF-13/5", "DT/55"]}}`,
		// What encoding/json writes with HTML escaping.
		`{"amendment":{"op":"MOD","sources":["WTPF-13/5","DT/55"],"weight":1.5},"id":7,"ratio":0.25,"text":"Draft Opinion 1 \u2014 \"considering\""}`,
		// Indented.
		"{\n  \"id\": 7,\n  \"ratio\": 25e-2,\n  \"text\": \"Draft Opinion 1 \\u2014 \\\"considering\\\"\",\n  \"amendment\": {\n    \"weight\": 150E-2, \"op\": \"MOD\", \"sources\": [\"WTPF-13\\/5\", \"DT\\/55\"]\n  }\n}",
	}
	want, err := CanonicalJSON([]byte(written))
	if err != nil {
		t.Fatal(err)
	}
	const canon = `{"amendment":{"op":"MOD","sources":["WTPF-13/5","DT/55"],"weight":1.5},"id":7,"ratio":0.25,"text":"Draft Opinion 1 — \"considering\""}`
	if string(want) != canon {
		t.Fatalf("canonical form\n got %s\nwant %s", want, canon)
	}
	for i, f := range forms {
		got, err := CanonicalJSON([]byte(f))
		if err != nil {
			t.Fatalf("form %d: %v", i, err)
		}
		if string(got) != string(want) {
			t.Errorf("form %d\n got %s\nwant %s", i, got, want)
		}
	}
}

// FuzzCanonicalJSON checks that whatever CanonicalJSON accepts is valid
// JSON meaning the same as its input, and that the form is a fixed point.
func FuzzCanonicalJSON(f *testing.F) {
	for _, s := range []string{
		`{"b":1,"a":[1.50,-0,1e2,"x\u00e9"]}`, `[]`, `"\ud83d\ude00"`, `{"a":{"c":null,"b":true}}`,
		`1.0e-5`, `-12.340E+3`, `{"\u0061":"\n"}`, `0`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := CanonicalJSON(in)
		if err != nil {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("CanonicalJSON(%q) = %q, not valid JSON", in, out)
		}
		again, err := CanonicalJSON(out)
		if err != nil || string(again) != string(out) {
			t.Fatalf("not a fixed point: %q -> %q (%v)", out, again, err)
		}
		a, err := decodeExact(in)
		if err != nil {
			t.Fatalf("accepted %q, which encoding/json rejects: %v", in, err)
		}
		b, err := decodeExact(out)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("meaning changed: %q -> %q", in, out)
		}
	})
}

// decodeExact decodes JSON with numbers as exact rationals, written as
// strings, so that two texts of the same value compare equal.
func decodeExact(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var norm func(any) any
	norm = func(v any) any {
		switch v := v.(type) {
		case json.Number:
			if strings.Trim(strings.SplitN(strings.ToLower(string(v)), "e", 2)[0], "-0.") == "" {
				return "0" // zero with any exponent; big.Rat would expand 0e999999999
			}
			r, ok := new(big.Rat).SetString(string(v))
			if !ok {
				return "bad number " + string(v)
			}
			return r.RatString()
		case []any:
			for i := range v {
				v[i] = norm(v[i])
			}
		case map[string]any:
			for k := range v {
				v[k] = norm(v[k])
			}
		}
		return v
	}
	return norm(v), nil
}

func TestVisibility(t *testing.T) {
	tests := []struct {
		in          string
		kind, party string
		ok          bool
	}{
		{"public", VisPublic, "", true},
		{"members", VisMembers, "", true},
		{"secretariat", VisSecretariat, "", true},
		{"party:FR", VisPartyKind, "FR", true},
		{"party:0190a1b2c3d4e5f60718293a4b5c6d7e", VisPartyKind, "0190a1b2c3d4e5f60718293a4b5c6d7e", true},
		{"party:isoc.org", VisPartyKind, "isoc.org", true},
		{VisParty("a_b-c"), VisPartyKind, "a_b-c", true},
		{"party:" + strings.Repeat("x", MaxIDLen), VisPartyKind, strings.Repeat("x", MaxIDLen), true},
		{"", "", "", false},
		{"Public", "", "", false},
		{"public ", "", "", false},
		{"party:", "", "", false},
		{"party", "", "", false},
		{"party:a b", "", "", false},
		{"party:a:b", "", "", false},
		{"party:é", "", "", false},
		{"party:" + strings.Repeat("x", MaxIDLen+1), "", "", false},
		{"delegation:FR", "", "", false},
	}
	for _, tt := range tests {
		kind, party, err := ParseVisibility(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseVisibility(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if kind != tt.kind || party != tt.party {
			t.Errorf("ParseVisibility(%q) = %q, %q; want %q, %q", tt.in, kind, party, tt.kind, tt.party)
		}
		if ValidVisibility(tt.in) != tt.ok {
			t.Errorf("ValidVisibility(%q) = %v", tt.in, !tt.ok)
		}
		id, isParty := PartyOf(tt.in)
		if isParty != (tt.kind == VisPartyKind) || id != tt.party {
			t.Errorf("PartyOf(%q) = %q, %v", tt.in, id, isParty)
		}
	}
	if !ShowPublic(VisPublic) || ShowPublic(VisMembers) || ShowPublic(VisParty("FR")) {
		t.Error("ShowPublic keeps only public events")
	}
}
