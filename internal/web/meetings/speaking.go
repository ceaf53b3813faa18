package meetings

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"github.com/plenary-forum/plenary/internal/chart"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/web"
)

// Speaking time, published: per meeting and per forum, time and turns per
// stakeholder group, per party, and in the room against remote (hubs
// apart), as tables and as bar charts drawn on the server.

func init() {
	pageTypes["meet_speaking"] = speakingPage{}
}

func registerSpeaking(h *handler) {
	h.Handle("GET /forums/{slug}/meetings/{id}/speaking-time", h.showSpeaking)
	h.Handle("GET /forums/{slug}/speaking-time", h.showSpeaking)
}

// Figure is one chart with its table.
type Figure struct {
	SVG   template.HTML
	Table chart.TableData
}

// speakingPage is the speaking time of a meeting, or of the forum.
type speakingPage struct {
	web.Base
	// M is the meeting; nil for the whole forum.
	M       *meetings.Meeting
	T       meetings.SpeakingTime
	Figures []Figure
}

// MPath is the meeting's page.
func (p speakingPage) MPath() string {
	if p.M == nil {
		return ""
	}
	return "/forums/" + p.Forum.Slug + "/meetings/" + url.PathEscape(p.M.Number)
}

// Duration writes milliseconds for people: 1 h 2 min 5 s.
func Duration(ms int64) string {
	s := ms / 1000
	switch {
	case s >= 3600:
		return fmt.Sprintf("%d h %d min %d s", s/3600, s%3600/60, s%60)
	case s >= 60:
		return fmt.Sprintf("%d min %d s", s/60, s%60)
	}
	return fmt.Sprintf("%d s", s)
}

// Cap writes a stakeholder group's name at the start of a cell.
func (p speakingPage) Cap(s string) string { return web.UpperFirst(s) }

// DurationOf writes a time spoken.
func (p speakingPage) DurationOf(ms int64) string { return Duration(ms) }

// Share is a time's share of the total, in per cent.
func (p speakingPage) Share(ms int64) string {
	if p.T.Total.SpokenMS == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.0f%%", float64(ms)*100/float64(p.T.Total.SpokenMS))
}

var origins = []string{"In the room", "Remote", "At a remote hub"}

func seconds(v float64) string { return Duration(int64(v) * 1000) }

func turns(v float64) string {
	if v == 1 {
		return "1 turn"
	}
	return fmt.Sprintf("%.0f turns", v)
}

func splitFigures(id, what string, rows []meetings.SpeakingSplit) []Figure {
	if len(rows) == 0 {
		return nil
	}
	time := chart.BarChart{ID: id + "-time", Title: "Speaking time per " + what, Series: origins, Format: seconds,
		Description: "Time spoken per " + what + ", in the room, remote and at remote hubs."}
	count := chart.BarChart{ID: id + "-turns", Title: "Turns per " + what, Series: origins, Format: turns,
		Description: "Turns at the floor per " + what + ", in the room, remote and at remote hubs."}
	for _, r := range rows {
		time.Rows = append(time.Rows, chart.Row{Label: web.UpperFirst(r.Name), Values: []float64{float64(r.RoomMS / 1000), float64(r.RemoteMS / 1000), float64(r.HubMS / 1000)}})
		count.Rows = append(count.Rows, chart.Row{Label: web.UpperFirst(r.Name), Values: []float64{float64(r.RoomTurns), float64(r.RemoteTurns), float64(r.HubTurns)}})
	}
	return []Figure{{chart.Bars(time), chart.Table(time)}, {chart.Bars(count), chart.Table(count)}}
}

func (h *handler) showSpeaking(w http.ResponseWriter, r *http.Request) error {
	b, f, _, err := h.ForumBase(r, "Speaking time", "meetings")
	if err != nil {
		return err
	}
	ctx := r.Context()
	sc := h.Scope(r, f)
	p := speakingPage{Base: b}
	ref := r.PathValue("id")
	if ref != "" {
		m, err := h.svc.Meetings.Meeting(ctx, sc, ref)
		if err != nil {
			return err
		}
		p.M = &m
		p.Title = m.Number + ": speaking time"
		if p.T, err = h.svc.Meetings.SpeakingTime(ctx, sc, m.ID); err != nil {
			return err
		}
	} else if p.T, err = h.svc.Meetings.ForumSpeakingTime(ctx, sc); err != nil {
		return err
	}
	split, err := h.svc.Meetings.SpeakingSplitsOf(ctx, sc, ref)
	if err != nil {
		return err
	}
	p.Figures = append(p.Figures, splitFigures("groups", "stakeholder group", split.Groups)...)
	if len(p.T.Origins) > 0 {
		o := chart.BarChart{ID: "origins", Title: "In the room and remote", Format: seconds, Series: []string{"Time spoken"},
			Description: "Time spoken in the room, remote and at remote hubs."}
		for _, c := range p.T.Origins {
			o.Rows = append(o.Rows, chart.Row{Label: c.Name, Values: []float64{float64(c.SpokenMS / 1000)}})
		}
		p.Figures = append(p.Figures, Figure{chart.Bars(o), chart.Table(o)})
	}
	p.Figures = append(p.Figures, splitFigures("parties", "party", split.Parties)...)
	h.Render(w, r, http.StatusOK, "meet_speaking", p)
	return nil
}
