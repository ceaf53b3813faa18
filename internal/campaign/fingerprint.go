package campaign

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const (
	// Shingle is the number of words in a run (a shingle). A text of
	// fewer words is one run of all its words.
	Shingle = 4
	// NumHashes is the number of MinHash functions, the length of a
	// Signature.
	NumHashes = 128
	// Bands and Rows cut a signature for locality-sensitive hashing:
	// Bands × Rows = NumHashes.
	Bands = 32
	Rows  = NumHashes / Bands
	// DefaultThreshold is the least estimated Jaccard similarity at which
	// two comments are near-duplicates (see the package comment for why
	// 0.7).
	DefaultThreshold = 0.7
	// encodingVersion is the first byte of an encoded signature. It names
	// the parameters above and the hash functions; changing any of them
	// changes the version.
	encodingVersion = 1
)

// foldLetters are letters that decomposition does not reduce to a base
// letter and its marks (participation.FoldName's list), and the final
// sigma, which case folding makes a sigma.
var foldLetters = strings.NewReplacer("ς", "σ", "ß", "ss", "æ", "ae", "œ", "oe", "ø", "o", "ł", "l", "đ", "d", "ı", "i", "þ", "th", "ð", "d")

// Normalize folds a comment to the words that decide whether two comments
// are the same: Unicode compatibility forms (NFKC: "ﬁ" is "fi", a
// full-width "Ａ" is "a"), case folded, diacritics removed ("é" is "e", "ß" is "ss"), apostrophes
// inside words removed ("don’t" is "dont"), every other character that is
// not a letter or a digit a word separator, words separated by one space.
func Normalize(text string) string {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		// NFKD is NFKC followed by the decomposition that separates
		// letters from their diacritics, in one pass.
		text = norm.NFKD.String(text)
	}
	var b strings.Builder
	b.Grow(len(text))
	space := false
	var prev rune
	for i, r := range text {
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r):
			continue
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			r = unicode.ToLower(r)
		case isApostrophe(r) && isWord(prev) && i+utf8.RuneLen(r) < len(text) && isWord(firstRune(text[i+utf8.RuneLen(r):])):
			continue
		default:
			space = true
			prev = r
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		prev = r
	}
	out := b.String()
	if !ascii {
		out = foldLetters.Replace(out)
	}
	return out
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// Signature is the MinHash of a comment's normalized word runs: for each of
// NumHashes fixed hash functions, the least value over the runs. It is the
// same in every process, so it can be stored with the comment.
type Signature [NumHashes]uint32

// The hash functions: a run's 64-bit hash x is mixed once, then
// h_i(x) = high 32 bits of (a_i·mix(x) + b_i) with a_i odd, a and b fixed
// by a splitmix64 sequence from a constant seed.
var hashA, hashB [NumHashes]uint64

func init() {
	s := uint64(0x706c656e61727931) // "plenary1"
	for i := range NumHashes {
		s += 0x9e3779b97f4a7c15
		hashA[i] = mix64(s) | 1
		s += 0x9e3779b97f4a7c15
		hashB[i] = mix64(s)
	}
}

// mix64 is splitmix64's finalizer, a fixed bijection of 64-bit words.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// fnv64a is FNV-1a, 64 bits, of one word.
func fnv64a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// Fingerprint is the Signature of a comment's text (normalized here).
func Fingerprint(text string) Signature {
	return FingerprintNormalized(Normalize(text))
}

// FingerprintNormalized is the Signature of a text already normalized by
// Normalize. The empty text has the signature of no runs (every value the
// largest), which equals only itself.
func FingerprintNormalized(normalized string) Signature {
	var sig Signature
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	var buf [256]uint64
	words := buf[:0]
	for w := range strings.SplitSeq(normalized, " ") {
		if w != "" {
			words = append(words, fnv64a(w))
		}
	}
	if len(words) == 0 {
		return sig
	}
	k := min(Shingle, len(words))
	for s := 0; s+k <= len(words); s++ {
		x := uint64(k)
		for _, w := range words[s : s+k] {
			x = mix64(x ^ w)
		}
		for i := range sig {
			if v := uint32((hashA[i]*x + hashB[i]) >> 32); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

// Similarity estimates the Jaccard similarity of the word runs of the two
// texts: the share of positions where the signatures agree.
func (s *Signature) Similarity(t *Signature) float64 {
	return float64(s.agree(t)) / NumHashes
}

func (s *Signature) agree(t *Signature) int {
	n := 0
	for i := range s {
		if s[i] == t[i] {
			n++
		}
	}
	return n
}

// lowBytes are a signature's low byte at each position: what the index
// keeps of it, a quarter of its size (b-bit minwise hashing, with b = 8).
// Two signatures that agree at a position agree on its low byte; two that
// differ agree on it by chance one time in 256, which adds at most
// (1 - J)/256 to an estimated similarity J: under 0.1 of a position at
// the default threshold.
type lowBytes [NumHashes]byte

func (s *Signature) low() (l lowBytes) {
	for i, v := range s {
		l[i] = byte(v)
	}
	return l
}

// agreesOn says whether l and o agree on at least k positions, stopping
// as soon as too many differ for that. It compares eight positions at a
// time.
func (l *lowBytes) agreesOn(o *lowBytes, k int) bool {
	miss := NumHashes - k // the most positions that may differ
	if miss < 0 {
		return false
	}
	for i := 0; i < NumHashes; i += 8 {
		x := binary.LittleEndian.Uint64(l[i:]) ^ binary.LittleEndian.Uint64(o[i:])
		if x == 0 {
			continue
		}
		// The high bit of each byte of x that is not zero: the low seven
		// bits carry into it, or it was set already.
		const low7, high = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
		if miss -= bits.OnesCount64(((x & low7) + low7 | x) & high); miss < 0 {
			return false
		}
	}
	return true
}

// EncodedLen is the length of Signature.Encode's result.
const EncodedLen = 1 + 4*NumHashes

// Encode is the signature's storage form: a version byte, then each value
// as 4 bytes little-endian (513 bytes).
func (s *Signature) Encode() []byte {
	b := make([]byte, 1, EncodedLen)
	b[0] = encodingVersion
	for _, v := range s {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

// Hex is Encode in hexadecimal (1,026 characters), for text columns and JSON.
func (s *Signature) Hex() string { return hex.EncodeToString(s.Encode()) }

// ErrEncoding is returned for a stored signature that is not one this
// version of Plenary wrote.
var ErrEncoding = errors.New("campaign: not a signature of this encoding version")

// Decode reads a signature written by Encode.
func Decode(b []byte) (Signature, error) {
	var s Signature
	if len(b) != EncodedLen || b[0] != encodingVersion {
		return s, ErrEncoding
	}
	for i := range s {
		s[i] = binary.LittleEndian.Uint32(b[1+4*i:])
	}
	return s, nil
}

// ParseHex reads a signature written by Hex.
func ParseHex(h string) (Signature, error) {
	b, err := hex.DecodeString(h)
	if err != nil {
		return Signature{}, ErrEncoding
	}
	return Decode(b)
}
