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
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "plenary_live_events_delivered_total", Help: "Events queued to live subscribers."},
			func() float64 { return float64(b.Stats().Delivered) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "plenary_live_subscribers_cut_off_total", Help: "Live subscribers cut off because their queue was full."},
			func() float64 { return float64(b.Stats().CutOff) }),
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
