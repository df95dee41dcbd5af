package bot

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// health tracks whether the bot can answer, for /readyz: the store takes
// writes, Slack is reachable (the socket is up and the Web API takes
// replies, or has not been failing for longer than SlackGrace) and no work
// is stuck. One bad frame, one failed call or a reconnect within the grace
// does not make the bot unready.
type health struct {
	b *Bot

	mu           sync.Mutex
	everUp       bool
	downSince    time.Time // socket not connected since; zero while connected
	failingSince time.Time // Web API failing since; zero while it works
	storeErr     error     // the last write's error, nil after a success
}

func newHealth(b *Bot) *health {
	return &health{b: b, downSince: b.cfg.Now()}
}

// connected records a live socket; it reports whether this is a reconnect.
func (h *health) connected() (reconnect bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	reconnect = h.everUp && !h.downSince.IsZero()
	h.everUp = true
	h.downSince = time.Time{}
	return reconnect
}

func (h *health) disconnected() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.downSince.IsZero() {
		h.downSince = h.b.cfg.Now()
	}
}

func (h *health) slackFailed(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failingSince.IsZero() {
		h.failingSince = now
	}
}

func (h *health) slackOK() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failingSince = time.Time{}
}

func (h *health) storeResult(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.storeErr = err
}

// Ready reports nil when the bot can answer, and otherwise every reason it
// cannot.
func (b *Bot) Ready() error {
	h := b.health
	now := b.cfg.Now()
	grace := b.cfg.SlackGrace
	var why []error
	h.mu.Lock()
	switch {
	case !h.everUp:
		why = append(why, errors.New("not connected to Slack yet"))
	case !h.downSince.IsZero() && now.Sub(h.downSince) > grace:
		why = append(why, fmt.Errorf("not connected to Slack for %s", now.Sub(h.downSince).Round(time.Second)))
	}
	if !h.failingSince.IsZero() && now.Sub(h.failingSince) > grace {
		why = append(why, fmt.Errorf("the Slack Web API has been failing for %s", now.Sub(h.failingSince).Round(time.Second)))
	}
	if h.storeErr != nil {
		why = append(why, fmt.Errorf("store: last write failed: %w", h.storeErr))
	}
	h.mu.Unlock()
	if b.cfg.StoreHealth != nil {
		if err := b.cfg.StoreHealth(); err != nil {
			why = append(why, fmt.Errorf("store: %w", err))
		}
	}
	for name, l := range map[string]*lane{"questions": b.record, "slash commands": b.slashes} {
		if d := l.stuckFor(now); d > b.cfg.StuckAfter {
			why = append(why, fmt.Errorf("%s stuck: no progress for %s", name, d.Round(time.Second)))
		}
	}
	return errors.Join(why...)
}
