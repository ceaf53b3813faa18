package drafting

import (
	"testing"

	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/text"
)

func TestLabelDoc(t *testing.T) {
	for _, c := range []struct {
		name, series, number, prefix, want, label string
	}{
		{"main-series contribution", documents.SeriesMain, "WTPF-13/6", "WTPF-13", "6", "BRA/6/1"},
		{"another contribution of the same forum", documents.SeriesMain, "WCIT-12/2", "WCIT-12", "2", "USA/2/1"},
		{"revised contribution", documents.SeriesMain, "WTPF-13/6(Rev.1)", "WTPF-13", "6", "BRA/6/1"},
		{"the draft itself", documents.SeriesMain, "WCIT-12/1", "WCIT-12", "1", "USA/1/1"},
		{"meeting sub-series", "ieg-3", "WTPF-IEG/3/6", "WTPF-13", "IEG3-6", "ETNO/IEG3-6/1"},
		{"meeting sub-series, two digits", "ieg-3", "WTPF-IEG/3/12", "WTPF-13", "IEG3-12", "ETNO/IEG3-12/1"},
		{"temporary documents", "dt", "DT/1", "WTPF-13", "DT-1", "USA/DT-1/1"},
		{"series of another organisation", "cwg", "CWG-WSIS/2/4", "WTPF-13", "CWG-WSIS2-4", "USA/CWG-WSIS2-4/1"},
		{"forum without a prefix word", "ieg-3", "WTPF-IEG/3/6", "", "WTPF-IEG3-6", "ETNO/WTPF-IEG3-6/1"},
	} {
		got := labelDoc(documents.Document{Series: c.series, Number: c.number}, c.prefix)
		if got != c.want {
			t.Errorf("%s: labelDoc(%s) = %q, want %q", c.name, c.number, got, c.want)
		}
		party := c.label[:len(c.label)-len("/"+c.want+"/1")]
		if l := text.FormatLabel(party, got, 1); l != c.label {
			t.Errorf("%s: label %q, want %q", c.name, l, c.label)
		}
	}
}
