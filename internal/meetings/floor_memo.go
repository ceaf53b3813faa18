package meetings

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/store"
)

// floorMemo keeps, per meeting, the state of its queue after its first n
// events, so that a command or a read applies only the events recorded
// since rather than replaying the meeting from its start. The events of a
// queue are only ever appended, numbered 1, 2, ... in the meeting's
// transaction order, so the state after n events never changes; another
// instance's events are simply the ones after n. The memo hands out
// clones and keeps clones, so no caller shares a state.
type floorMemo struct {
	mu sync.Mutex
	m  map[string]memoState
}

type memoState struct {
	n  int
	st *floor.State
}

// floorMemoMeetings bounds the memo: beyond it, an arbitrary meeting's
// state is dropped, to be replayed when next needed.
const floorMemoMeetings = 1024

func (f *floorMemo) get(meetingID string) (int, *floor.State) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e, ok := f.m[meetingID]; ok {
		return e.n, e.st.Clone()
	}
	return 0, floor.New()
}

// put keeps st as the state after n events, unless a later one is kept.
// st must not be changed afterwards by the caller.
func (f *floorMemo) put(meetingID string, n int, st *floor.State) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.m == nil {
		f.m = map[string]memoState{}
	}
	if e, ok := f.m[meetingID]; ok && e.n >= n {
		return
	}
	if _, ok := f.m[meetingID]; !ok && len(f.m) >= floorMemoMeetings {
		for k := range f.m {
			delete(f.m, k)
			break
		}
	}
	f.m[meetingID] = memoState{n: n, st: st}
}

// floorState is the state of a meeting's queue as q sees it, and the
// number of its events: the kept state, with the events recorded since
// applied. The state is the caller's to change.
func (s *Service) floorState(ctx context.Context, q store.Querier, meetingID string) (*floor.State, int, error) {
	n, st := s.memo.get(meetingID)
	rows, err := q.QueryContext(ctx, "SELECT n, event FROM meeting_floor_events WHERE meeting_id = ? AND n > ? ORDER BY n", meetingID, n)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var raw string
		if err := rows.Scan(&n, &raw); err != nil {
			return nil, 0, err
		}
		var e floor.Event
		if err := json.Unmarshal([]byte(raw), &e); err != nil {
			return nil, 0, err
		}
		if err := st.Apply(e); err != nil {
			return nil, 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return st, n, nil
}
