//go:build !unix

package opinion

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
