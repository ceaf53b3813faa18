package parse

import (
	"sort"
	"strings"

	"github.com/plenary-forum/plenary/internal/text"
)

func init() {
	// Longest first, so "noting with appreciation" wins over "noting".
	sort.SliceStable(clausePhrases, func(i, j int) bool { return len(clausePhrases[i]) > len(clausePhrases[j]) })
}

// preambleWords are clause words of a preamble that do not end in "-ing".
var preambleWords = map[string]bool{
	"aware": true, "mindful": true, "conscious": true, "concerned": true,
	"convinced": true, "cognizant": true, "cognisant": true, "deeply": true,
	"alarmed": true, "guided": true, "desirous": true, "fully": true,
	"seriously": true, "gravely": true, "bearing": true, "keeping": true,
}

// clausePhrases are the intro phrases recognised at the start of a line of
// plain text. Markdown marks intros by emphasis instead.
var clausePhrases = []string{
	"acknowledging", "affirming", "appreciating", "aware", "bearing in mind",
	"believing", "cognizant", "concerned", "conscious", "considering",
	"convinced", "deeply concerned", "desiring", "emphasizing", "emphasising",
	"expressing", "having considered", "having regard", "highlighting",
	"keeping in mind", "mindful", "noting", "noting with appreciation",
	"observing", "reaffirming", "realizing", "recalling", "recognizing",
	"recognising", "stressing", "taking into account", "taking note",
	"underlining", "welcoming",
	"adopts", "agrees", "approves", "calls upon", "decides", "encourages",
	"endorses", "instructs", "invites", "is of the view", "recommends",
	"requests", "resolves", "urges", "expresses", "supports", "declares",
}

// IntroKind returns the kind of clause an intro word starts:
// text.KindPreamble for participles and adjectives ("considering",
// "recognizing", "bearing in mind", "aware", "mindful"), text.KindOperative
// for the rest ("is of the view", "invites", "resolves", "instructs",
// "requests"). Leading "further", "also" and "moreover" are skipped.
func IntroKind(intro string) text.Kind {
	words := strings.Fields(strings.ToLower(intro))
	for len(words) > 1 && (words[0] == "further" || words[0] == "also" || words[0] == "moreover" || words[0] == "and") {
		words = words[1:]
	}
	if len(words) == 0 {
		return text.KindOperative
	}
	w := strings.Trim(words[0], ",:;.")
	if strings.HasSuffix(w, "ing") || preambleWords[w] {
		return text.KindPreamble
	}
	return text.KindOperative
}

// plainIntro reads a line of plain text that starts with a clause phrase.
// When the line is the intro alone ("considering", "further recognizing,",
// "invites Member States:"), body is empty. When the phrase is followed by
// "that" ("noting that the Forum..."), the line is split into the intro and
// a body starting at "that". Other lines are not intros.
func plainIntro(line string) (intro, body string, ok bool) {
	s := strings.TrimSpace(line)
	if s == "" || len(s) > 2000 {
		return "", "", false
	}
	low := strings.ToLower(s)
	skip := 0
	for _, pre := range []string{"further ", "also ", "moreover "} {
		if strings.HasPrefix(low[skip:], pre) {
			skip += len(pre)
		}
	}
	rest := low[skip:]
	for _, ph := range clausePhrases {
		if !strings.HasPrefix(rest, ph) {
			continue
		}
		end := skip + len(ph)
		tail := strings.TrimSpace(low[end:])
		bare := strings.TrimRight(tail, ",:")
		switch {
		case bare == "":
			return strings.TrimRight(s, ",: "), "", true
		case strings.HasPrefix(tail, "that ") || strings.HasPrefix(tail, ", that ") || strings.HasPrefix(tail, ": that "):
			k := strings.Index(low[end:], "that ") + end
			return strings.TrimRight(strings.TrimSpace(s[:k]), ",:"), s[k:], true
		case low[end] == ' ' && IntroKind(ph) == text.KindOperative && !strings.ContainsAny(bare, ".;") &&
			len(strings.Fields(bare)) <= 8 && !strings.Contains(" "+bare+" ", " to ") && !strings.Contains(" "+bare+" ", " that "):
			return strings.TrimRight(s, ",: "), "", true
		}
	}
	return "", "", false
}
