package server

import (
	"strconv"
	"time"

	"github.com/plenary-forum/plenary/internal/live"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry, b *live.Broker, st *store.Store) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "plenary_http_requests_total", Help: "HTTP requests by method, route and status."},
			[]string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "plenary_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "plenary_live_subscribers", Help: "Live event subscribers connected now."},
			func() float64 { return float64(b.Stats().Subscribers) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "plenary_live_events_delivered_total", Help: "Events sent to live subscribers (with their data or their id alone)."},
			func() float64 { return float64(b.Stats().Delivered) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "plenary_live_subscribers_cut_off_total", Help: "Live subscribers cut off for not keeping up (a write not taken in time, or behind the window)."},
			func() float64 { return float64(b.Stats().CutOff) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "plenary_live_subscribers_behind_window_total", Help: "Live subscribers cut off because they fell behind their chain's window of recent events."},
			func() float64 { return float64(b.Stats().Behind) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "plenary_live_resumptions_total", Help: "Live streams opened with a resume point (Last-Event-ID)."},
			func() float64 { return float64(b.Stats().Resumed) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "plenary_live_refused_total", Help: "Live streams refused for the limit of streams per client address."},
			func() float64 { return float64(b.Stats().Refused) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "plenary_live_events_total", Help: "Events entered into the live windows."},
			func() float64 { return float64(b.Stats().Events) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "plenary_live_encodes_total", Help: "Events encoded for the live windows: one per event, shared by every subscriber."},
			func() float64 { return float64(b.Stats().Encodes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "plenary_live_encodes_per_event", Help: "Encodings per event entered into the live windows (1: nothing encoded per subscriber)."},
			func() float64 {
				s := b.Stats()
				if s.Events == 0 {
					return 0
				}
				return float64(s.Encodes) / float64(s.Events)
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "plenary_live_writes_total", Help: "Writes of live events to connections (a burst to one subscriber is one write)."},
			func() float64 { return float64(b.Stats().Writes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "plenary_open_files_limit", Help: "The process's open-file limit (RLIMIT_NOFILE, soft), raised to the hard limit at start-up."},
			func() float64 { cur, _ := OpenFilesLimit(); return float64(cur) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "plenary_ledger_appends_total", Help: "Ledger events appended by this process."},
			func() float64 { return float64(store.Appends()) }),
	)
	_ = st
	return m
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	if status == 0 {
		status = 200
	}
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}
