package drafting

import (
	"testing"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/text"
)

// The lists that the drafting forms and filters offer are the
// enumerations' own (see TestEnumLabels in internal/web for the rest).
func TestChoicesAreTheEnumerations(t *testing.T) {
	for _, l := range []struct {
		name string
		got  []forum.Choice
		want []forum.Choice
	}{
		{"proposal states filter", amendmentStatuses, forum.Choices(text.Statuses(), text.Status.Label)},
		{"kinds of a new provision", addKinds[1:], forum.Choices(text.Kinds(), text.Kind.Label)},
	} {
		if len(l.got) != len(l.want) {
			t.Errorf("%s: %v, want %v", l.name, l.got, l.want)
			continue
		}
		for i := range l.got {
			if l.got[i] != l.want[i] {
				t.Errorf("%s: %v, want %v", l.name, l.got[i], l.want[i])
			}
		}
	}
}
