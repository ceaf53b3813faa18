package campaign

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"Hello, World!", "hello world"},
		{"  many\t\tspaces\n\nand lines  ", "many spaces and lines"},
		{"Côte d’Ivoire", "cote divoire"},
		{"COTE D'IVOIRE", "cote divoire"},
		{"Don't stop; we won’t.", "dont stop we wont"},
		{"'quoted' words", "quoted words"},
		{"Straße", "strasse"},
		{"ÆSIR Øresund Łódź", "aesir oresund lodz"},
		{"ﬁnal ＡＢＣ １２３", "final abc 123"},          // NFKC: ligature, full-width
		{"naïve café résumé", "naive cafe resume"}, // composed
		{"nai\u0308ve cafe\u0301", "naive cafe"},   // decomposed
		{"multi-stakeholder (MSH) model", "multi stakeholder msh model"},
		{"ΣΊΣΥΦΟΣ", "σισυφοσ"}, // case folding folds final sigma too
		{"σίσυφος", "σισυφοσ"},
		{"İstanbul ǅemal", "istanbul dzemal"}, // dotted capital I, titlecase digraph
		{"Article 5.2(b)", "article 5 2 b"},
		{"emoji 🙂 between", "emoji between"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

const golden = "The draft outcome document should recognise that the Internet is a global resource " +
	"which ought to be managed in the public interest, with the full participation of governments, " +
	"civil society, the technical community and business, each in their respective roles."

// TestSignatureGolden pins the signature of one text: signatures are stored
// with comments, so they must not change between processes or versions
// without a new encoding version.
func TestSignatureGolden(t *testing.T) {
	s := Fingerprint(golden)
	sum := sha256.Sum256(s.Encode())
	if got, want := hex.EncodeToString(sum[:]), "b39ad6bd8788f871889ad95785218835af0681edc0dd2a86098a686dfde97761"; got != want {
		t.Errorf("SHA-256 of the golden signature = %s, want %s (first values %v)", got, want, s[:4])
	}
	if s != FingerprintNormalized(Normalize(golden)) {
		t.Error("Fingerprint differs from FingerprintNormalized(Normalize)")
	}
	if s != Fingerprint(strings.ToUpper(golden)) {
		t.Error("case changed the signature")
	}
}

func TestEncoding(t *testing.T) {
	s := Fingerprint(golden)
	b := s.Encode()
	if len(b) != EncodedLen {
		t.Fatalf("encoded length %d, want %d", len(b), EncodedLen)
	}
	d, err := Decode(b)
	if err != nil || d != s {
		t.Fatalf("Decode(Encode) = %v, %v", d[:4], err)
	}
	p, err := ParseHex(s.Hex())
	if err != nil || p != s {
		t.Fatalf("ParseHex(Hex) = %v, %v", p[:4], err)
	}
	bad := bytes.Clone(b)
	bad[0] = 9
	for _, in := range [][]byte{nil, b[:10], bad} {
		if _, err := Decode(in); err != ErrEncoding {
			t.Errorf("Decode(%d bytes) = %v, want ErrEncoding", len(in), err)
		}
	}
	if _, err := ParseHex("zz"); err != ErrEncoding {
		t.Errorf("ParseHex(zz) = %v", err)
	}
}

func TestShortTexts(t *testing.T) {
	empty := Fingerprint("")
	if empty != Fingerprint(" ,.; ") {
		t.Error("two texts without words have different signatures")
	}
	for _, s := range []string{"agree", "I agree", "I fully agree"} {
		f := Fingerprint(s)
		if f == empty {
			t.Errorf("%q has the signature of no words", s)
		}
		if f != Fingerprint(strings.ToUpper(s)+"!") {
			t.Errorf("%q: case and punctuation changed the signature", s)
		}
	}
	if a, b := Fingerprint("I support this"), Fingerprint("I oppose this"); a.Similarity(&b) > 0.2 {
		t.Errorf("support vs oppose: similarity %.2f", a.Similarity(&b))
	}
}

const letter = "We write as members of the public to ask the conference to keep the Internet open and " +
	"interoperable. Decisions about its future must not be taken by governments alone behind closed " +
	"doors. Every stakeholder should be able to read the draft, comment on each provision and see how " +
	"each comment was answered before the text is adopted. Please publish the comments received and " +
	"the reasons for accepting or rejecting them, and extend the comment period by two weeks."

// Distinct comments on the same topic, sharing many words but written
// separately: they must stay apart.
var sameTopic = []string{
	"The draft should keep the Internet open. Governments must not decide alone; civil society and " +
		"the technical community need a seat at the table, and every comment deserves an answer.",
	"I support an open and interoperable Internet, but the draft goes too far in giving the private " +
		"sector a veto. Governments are accountable to their citizens and should decide public policy.",
	"Please extend the comment period. Two weeks is not enough for small organisations to read the " +
		"draft, consult their members and comment on each provision in a language they understand.",
	"Publishing the comments is welcome. The secretariat should also say which comments changed the " +
		"text, provision by provision, so the public can see whether it was heard before adoption.",
}

func TestNearDuplicatesGrouped(t *testing.T) {
	var cs []Comment
	add := func(s string) { cs = append(cs, Comment{ID: int64(len(cs) + 1), Text: s}) }
	add(letter)                                                                   // 1
	add(strings.ToUpper(letter))                                                  // 2: case
	add(strings.ReplaceAll(letter, ".", "!!") + "  Signed, Maria López")          // 3: punctuation, name
	add(strings.Replace(letter, "two weeks", "three weeks", 1) + " — John Smith") // 4: one word, name
	add(strings.Replace(letter, "closed doors", "closed dôors", 1))               // 5: accents
	add(strings.Replace(letter, "members of the public", "citizens of Kenya", 1)) // 6: few words
	for _, s := range sameTopic {                                                 // 7..10
		add(s)
	}
	got := Group(cs, 0)
	if len(got) != 1+len(sameTopic) {
		t.Fatalf("%d campaigns, want %d: %v", len(got), 1+len(sameTopic), summary(got))
	}
	if !slices.Equal(got[0].Members, []int64{1, 2, 3, 4, 5, 6}) {
		t.Errorf("the letter's campaign holds %v, want 1..6", got[0].Members)
	}
	if got[0].ID != 1 || got[0].Representative != Normalize(letter) {
		t.Errorf("campaign %d, representative %q", got[0].ID, got[0].Representative)
	}
	// 1, 2 and 5 normalize alike: one variant of count 3, and 3 others.
	if len(got[0].Variants) != 4 || got[0].Variants[0].Count != 3 {
		t.Errorf("variants %v", got[0].Variants)
	}
	for _, c := range got[1:] {
		if len(c.Members) != 1 {
			t.Errorf("same-topic comments merged: %v", c.Members)
		}
	}
}

func summary(cs []Campaign) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprint(c.Members))
	}
	return out
}

// TestPlantedCampaigns is the property: random texts with planted
// campaigns whose copies carry random small changes; every planted campaign
// is found whole, no two are merged, no random text joins one.
func TestPlantedCampaigns(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			g := newGen(seed)
			var cs []Comment
			truth := map[int64]int{} // id → planted campaign, -1 for random
			nc := 2 + g.rng.IntN(4)
			tpls := make([][]string, nc)
			for i := range tpls {
				tpls[i] = g.template()
			}
			total := 400 + g.rng.IntN(400)
			for id := int64(1); id <= int64(total); id++ {
				k := g.rng.IntN(nc * 3) // about a third of the comments in campaigns
				if k < nc {
					cs = append(cs, Comment{id, g.variant(tpls[k], 0.3)})
					truth[id] = k
				} else {
					cs = append(cs, Comment{id, g.text()})
					truth[id] = -1
				}
			}
			checkPlanted(t, Group(cs, 0), truth, nc)
		})
	}
}

func checkPlanted(t testing.TB, got []Campaign, truth map[int64]int, nc int) {
	t.Helper()
	found := make([]int, nc) // planted campaign → number of groups holding it
	size := make([]int, nc)
	for _, k := range truth {
		if k >= 0 {
			size[k]++
		}
	}
	seen := 0
	for _, c := range got {
		seen += len(c.Members)
		k := truth[c.Members[0]]
		for _, m := range c.Members {
			if truth[m] != k {
				t.Fatalf("campaign %d mixes planted %d and %d", c.ID, k, truth[m])
			}
		}
		if k >= 0 {
			found[k]++
			if len(c.Members) != size[k] {
				t.Errorf("planted campaign %d found with %d of its %d comments", k, len(c.Members), size[k])
			}
		} else if len(c.Members) != 1 {
			t.Errorf("random texts grouped: %v", c.Members)
		}
	}
	if seen != len(truth) {
		t.Errorf("%d comments in campaigns, want %d", seen, len(truth))
	}
	for k, f := range found {
		if f != 1 {
			t.Errorf("planted campaign %d split into %d groups", k, f)
		}
	}
}

func TestIndexIncremental(t *testing.T) {
	ix := NewIndex(0)
	j := ix.Add(10, letter)
	if j.Campaign != 10 || j.Size != 1 || j.Merged != nil {
		t.Fatalf("first comment: %+v", j)
	}
	if j := ix.Add(11, sameTopic[0]); j.Campaign != 11 || j.Size != 1 {
		t.Fatalf("distinct comment: %+v", j)
	}
	if j := ix.Add(12, strings.ToUpper(letter)); j.Campaign != 10 || j.Size != 2 {
		t.Fatalf("copy: %+v", j)
	}
	sig := Fingerprint(letter + " Maria López")
	if j := ix.AddFingerprint(13, letter+" Maria López", sig); j.Campaign != 10 || j.Size != 3 {
		t.Fatalf("stored fingerprint: %+v", j)
	}
	if j := ix.Add(12, "something else entirely"); j.Campaign != 10 || j.Size != 3 || ix.Len() != 4 {
		t.Fatalf("repeated id: %+v, len %d", j, ix.Len())
	}
	n := Normalize(letter + " — José Pérez")
	if j := ix.AddNormalized(14, n, FingerprintNormalized(n)); j.Campaign != 10 || j.Size != 4 {
		t.Fatalf("normalized text: %+v", j)
	}
	// Each comment's normalized text, the one given for 14 as it is.
	for id, want := range map[int64]string{10: Normalize(letter), 12: Normalize(letter), 13: Normalize(letter + " Maria López"), 14: n, 11: Normalize(sameTopic[0])} {
		if got, ok := ix.Text(id); !ok || got != want {
			t.Errorf("text of %d: %q, %v; want %q", id, got, ok, want)
		}
	}
	if got, _ := ix.Text(14); unsafe.StringData(got) != unsafe.StringData(n) {
		t.Error("the index copied a normalized text it was given")
	}
	if _, ok := ix.Text(99); ok {
		t.Error("text of an unknown id")
	}
	c, ok := ix.Campaign(13)
	if !ok || c.ID != 10 || !slices.Equal(c.Members, []int64{10, 12, 13, 14}) {
		t.Fatalf("campaign of 13: %+v", c)
	}
	if _, ok := ix.Campaign(99); ok {
		t.Error("campaign of an unknown id")
	}
}

// TestIndexBridge: two halves of a campaign that arrived apart are joined
// by a comment close to both, and Joined names both.
func TestIndexBridge(t *testing.T) {
	g := newGen(42)
	tpl := g.template()
	a := slices.Clone(tpl)
	copy(a[10:], []string{"xxa", "xxb", "xxc", "xxd", "xxe", "xxf"})
	b := slices.Clone(tpl)
	copy(b[len(b)-20:], []string{"yya", "yyb", "yyc", "yyd", "yye", "yyf"})
	ix := NewIndex(0.8)
	ix.Add(1, strings.Join(a, " "))
	ix.Add(2, strings.Join(b, " "))
	if c, _ := ix.Campaign(2); len(c.Members) != 1 {
		t.Fatalf("the two halves are already one campaign: %v (similarity too high for the test)", c.Members)
	}
	j := ix.Add(3, strings.Join(tpl, " "))
	if j.Campaign != 1 || j.Size != 3 || !slices.Equal(j.Merged, []int64{1, 2}) {
		t.Fatalf("bridge: %+v", j)
	}
	if got := len(ix.Campaigns()); got != 1 {
		t.Errorf("%d campaigns after the bridge", got)
	}
}

func TestBursts(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	items := []Item{
		{1, "203.0.113.7", at(0)},
		{2, "198.51.100.1", at(5)},
		{3, "203.0.113.7", at(10)},
		{4, "203.0.113.7", at(20)},
		{5, "203.0.113.7", at(50)}, // 4 within 60 s with 1, 3, 4
		{6, "203.0.113.7", at(300)},
		{7, "198.51.100.1", at(400)},
		{8, "203.0.113.7", at(1000)},
		{9, "203.0.113.7", at(1010)},
		{10, "203.0.113.7", at(1020)}, // 3 within 60 s: a second burst
		{11, "198.51.100.1", at(401)},
	}
	got := Bursts(items, time.Minute, 3)
	if len(got) != 2 {
		t.Fatalf("%d bursts, want 2: %+v", len(got), got)
	}
	if !slices.Equal(got[0].IDs, []int64{1, 3, 4, 5}) || !slices.Equal(got[1].IDs, []int64{8, 9, 10}) {
		t.Errorf("bursts %v and %v", got[0].IDs, got[1].IDs)
	}
	if !got[0].From.Equal(at(0)) || !got[0].To.Equal(at(50)) {
		t.Errorf("first burst from %v to %v", got[0].From, got[0].To)
	}
	want := "4 comments from the address 203.0.113.7 between 2026-03-01T10:00:00Z and 2026-03-01T10:00:50Z, 3 or more of them within 1m0s"
	if got[0].Reason != want {
		t.Errorf("reason %q", got[0].Reason)
	}
	if b := Bursts(items, time.Minute, 5); b != nil {
		t.Errorf("n=5 found %+v", b)
	}
	if b := Bursts(items, 0, 2); b != nil {
		t.Errorf("no window found %+v", b)
	}
	if b := Bursts(items, time.Second, 2); len(b) != 1 || !slices.Equal(b[0].IDs, []int64{7, 11}) {
		t.Errorf("n=2 within 1s: %+v", b)
	}
}

func TestTemplate(t *testing.T) {
	body := " of Nairobi" + strings.TrimPrefix(letter, "We write as members of the public")
	var cs []Comment
	for i, who := range []string{"I am Maria Lopez", "I am John Smith", "I am Maria Lopez", "I am Wei Chen", "I am Ana Silva"} {
		cs = append(cs, Comment{int64(i + 1), who + body})
	}
	cs = append(cs, Comment{6, "I am Ana Silva of Mombasa" + strings.TrimPrefix(letter, "We write as members of the public")})
	got := Group(cs, 0)
	if len(got) != 1 {
		t.Fatalf("the filled-in letters are %d campaigns: %v", len(got), summary(got))
	}
	sign, ok := Template(got[0], 3)
	if !ok {
		t.Fatal("no template sign")
	}
	if !slices.Equal(sign.Positions, []int{3, 4, 6}) {
		t.Errorf("positions %v", sign.Positions)
	}
	want := `the 6 comments of this campaign have 5 variants of 77 words that differ only at words 3, 4, 6 (for example "maria lopez nairobi", "john smith nairobi", "wei chen nairobi"), as if filled in from one template`
	if sign.Reason != want {
		t.Errorf("reason\n%s\nwant\n%s", sign.Reason, want)
	}
	if _, ok := Template(got[0], 2); ok {
		t.Error("three positions pass for two")
	}
	// A campaign whose copies differ in length is no template sign.
	c := got[0]
	c.Variants = append(c.Variants, Variant{Text: c.Representative + " thank you", Count: 1})
	if _, ok := Template(c, 3); ok {
		t.Error("a longer variant passes")
	}
	// One variant alone is no template.
	if _, ok := Template(Campaign{Representative: "a b", Variants: []Variant{{Text: "a b", Count: 9}}}, 3); ok {
		t.Error("one variant passes")
	}
}

// agreesOn, eight positions at a time and stopping early, answers as a
// count of the positions whose low bytes agree does, at every threshold.
func TestAgreesOnCountsAgreeingLowBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		var a, b Signature
		same := rng.IntN(NumHashes + 1)
		for i := range a {
			a[i] = rng.Uint32()
			b[i] = rng.Uint32()
			switch {
			case i < same:
				b[i] = a[i]
			case rng.IntN(4) == 0:
				// Different values with the same low byte, and bytes
				// that differ in their high bit alone.
				b[i] = a[i]&0xff | b[i]&^0xff
				if b[i] == a[i] {
					b[i] ^= 0x100
				}
			case rng.IntN(4) == 0:
				b[i] = a[i] ^ 0x80
			}
		}
		rng.Shuffle(NumHashes, func(i, j int) { b[i], b[j] = b[j], b[i]; a[i], a[j] = a[j], a[i] })
		la, lb := a.low(), b.low()
		n := 0
		for i := range la {
			if la[i] == lb[i] {
				n++
			}
		}
		if n < a.agree(&b) {
			t.Fatalf("%d low bytes agree, fewer than the %d positions that do", n, a.agree(&b))
		}
		for _, k := range []int{-1, 0, 1, n - 1, n, n + 1, NumHashes / 2, 90, NumHashes, NumHashes + 1} {
			if got := la.agreesOn(&lb, k); got != (n >= k) {
				t.Fatalf("%d low bytes agree, agreesOn(%d) = %v", n, k, got)
			}
		}
	}
}

// Each variant names its first comment.
func TestVariantsNameTheirFirstComment(t *testing.T) {
	ix := NewIndex(0)
	letter := "We ask the Forum to keep the Internet open, free and governed by all of its stakeholders, now and for the generations to come."
	ix.Add(1, letter)
	ix.Add(2, "An unrelated remark about the brackets in the second paragraph of the draft.")
	ix.Add(3, strings.ToUpper(letter)) // the same once normalized
	ix.Add(4, letter+" Thank you.")
	c, ok := ix.Campaign(1)
	if !ok || len(c.Variants) != 2 {
		t.Fatalf("campaign %+v", c)
	}
	if v := c.Variants[0]; v.Count != 2 || v.First != 1 {
		t.Errorf("the most frequent variant %+v, want 2 comments from 1", v)
	}
	if v := c.Variants[1]; v.Count != 1 || v.First != 4 {
		t.Errorf("the other variant %+v, want 1 comment from 4", v)
	}
}
