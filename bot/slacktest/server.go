package slacktest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// ErrNotConnected is returned when an envelope is sent while no socket
// connection is current (none was opened yet, the last one was dropped, or a
// disconnect was requested and the client has not reconnected yet).
var ErrNotConnected = errors.New("slacktest: no socket mode connection")

// ErrServerClosed is returned by the waiting helpers once the server is closed.
var ErrServerClosed = errors.New("slacktest: server closed")

const (
	defaultPingInterval = time.Second
	defaultHistoryLimit = 10000
	channelBuffer       = 4096
	writeTimeout        = 5 * time.Second

	// tsBase is the Unix second the fake message timestamps start at.
	tsBase = 1700000000
)

// Options configures a Server. The zero value is usable.
type Options struct {
	// PingInterval is how often the server sends a WebSocket ping control
	// frame on every socket connection. slack-go's socketmode client drops
	// the connection and reconnects when it sees no ping for its own
	// interval (socketmode.OptionPingInterval, 30s by default), so keep this
	// well below the client's. Zero means 1s; a negative value disables pings.
	PingInterval time.Duration

	// BotUserID, BotID, TeamID and AppID are the identities reported by
	// auth.test and put in the envelopes. Defaults: "UBOT", "BBOT", "T1", "A1".
	BotUserID string
	BotID     string
	TeamID    string
	AppID     string

	// HistoryLimit is how many of the latest acks, and of the latest calls,
	// are at least kept for WaitAck and WaitCall; older ones are forgotten
	// (in chunks, so up to twice as many are kept). Zero means 10000.
	HistoryLimit int

	// Logf, if set, receives a line for every connection change, envelope
	// and Web API call.
	Logf func(format string, args ...any)
}

// Server is a fake Slack serving the Web API and Socket Mode over loopback.
// All methods are safe for concurrent use.
type Server struct {
	opts   Options
	hs     *httptest.Server
	apiURL string
	wsURL  string

	upgrader websocket.Upgrader

	mu      sync.Mutex
	cur     *wsConn              // connection envelopes are sent to, if any
	open    map[*wsConn]struct{} // every connection not yet closed
	total   int                  // connections ever opened
	changed chan struct{}        // closed and replaced on every change of cur/total
	closed  bool
	authErr string
	faults  map[string][]*fault
	delays  map[string]time.Duration

	wg sync.WaitGroup // socket goroutines

	seq     atomic.Int64 // ids of envelopes, events, triggers, views, ...
	tsSeq   atomic.Int64 // message timestamps
	dropped atomic.Int64

	acks  *recorder[Ack]
	calls *recorder[Call]
}

// NewServer starts a fake Slack listening on 127.0.0.1 on a free port.
func NewServer(opts Options) (*Server, error) {
	if opts.PingInterval == 0 {
		opts.PingInterval = defaultPingInterval
	}
	if opts.BotUserID == "" {
		opts.BotUserID = "UBOT"
	}
	if opts.BotID == "" {
		opts.BotID = "BBOT"
	}
	if opts.TeamID == "" {
		opts.TeamID = "T1"
	}
	if opts.AppID == "" {
		opts.AppID = "A1"
	}
	if opts.HistoryLimit <= 0 {
		opts.HistoryLimit = defaultHistoryLimit
	}

	s := &Server{
		opts:    opts,
		open:    make(map[*wsConn]struct{}),
		changed: make(chan struct{}),
		faults:  make(map[string][]*fault),
		delays:  make(map[string]time.Duration),
		upgrader: websocket.Upgrader{
			// slack-go dials with "Origin: https://api.slack.com", which the
			// default same-origin check would refuse.
			CheckOrigin: func(*http.Request) bool { return true },
		},
	}
	s.acks = newRecorder[Ack](channelBuffer, opts.HistoryLimit, &s.dropped)
	s.calls = newRecorder[Call](channelBuffer, opts.HistoryLimit, &s.dropped)

	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.handleAPI)
	mux.HandleFunc("/link/", s.handleSocket)
	mux.HandleFunc("/response/", s.handleResponseURL)

	hs, err := newLoopbackServer(mux)
	if err != nil {
		return nil, err
	}
	s.hs = hs
	s.apiURL = hs.URL + "/api/"
	s.wsURL = "ws" + strings.TrimPrefix(hs.URL, "http") + "/link/"
	s.logf("listening on %s", hs.URL)
	return s, nil
}

// APIURL returns the Web API base URL, ending in "/", to pass to
// slack.OptionAPIURL.
func (s *Server) APIURL() string { return s.apiURL }

// NewResponseURL returns a fresh response_url pointing at this server. Calls
// to it are recorded with Method "response_url".
func (s *Server) NewResponseURL() string {
	return fmt.Sprintf("%s/response/R%06d", s.hs.URL, s.seq.Add(1))
}

// Close drops every socket connection, stops the server, wakes up every
// waiting helper and closes the Acks and Calls channels. It is idempotent.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	conns := make([]*wsConn, 0, len(s.open))
	for c := range s.open {
		conns = append(conns, c)
	}
	s.cur = nil
	s.broadcastLocked()
	s.mu.Unlock()

	for _, c := range conns {
		c.kill()
	}
	s.hs.Close()
	s.wg.Wait()
	s.acks.close()
	s.calls.close()
	s.logf("closed")
}

// Connections returns how many socket connections were opened in total, which
// goes up by one on every reconnect.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// WaitConnected waits until a socket connection is current, that is, it is
// open and its hello message was sent.
func (s *Server) WaitConnected(ctx context.Context) error {
	return s.WaitConnections(ctx, 0)
}

// WaitConnections waits until at least n socket connections were opened in
// total and one of them is current. After Disconnect or DropConnection,
// WaitConnections(ctx, Connections()+1) waits for the reconnect.
func (s *Server) WaitConnections(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		ok := s.cur != nil && s.total >= n
		closed := s.closed
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		if closed {
			return ErrServerClosed
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

// Disconnect sends {"type":"disconnect","reason":reason} on the current
// connection, as Slack does before it recycles a connection (reasons seen in
// the wild: "warning", "refresh_requested", "link_disabled"). The connection
// stops being current at once, so envelopes sent before the client reconnects
// fail with ErrNotConnected instead of being lost; it stays open until the
// client closes it.
func (s *Server) Disconnect(reason string) error {
	s.mu.Lock()
	c := s.cur
	if c != nil {
		s.cur = nil
		s.broadcastLocked()
	}
	s.mu.Unlock()
	if c == nil {
		return ErrNotConnected
	}
	msg := map[string]any{
		"type":   "disconnect",
		"reason": reason,
		"debug_info": map[string]any{
			"host": "slacktest",
		},
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	s.logf("conn %d: disconnect %q", c.id, reason)
	if err := c.writeText(data); err != nil {
		c.kill()
		return fmt.Errorf("slacktest: writing disconnect: %w", err)
	}
	return nil
}

// DropConnection closes the TCP connection of the current socket connection
// abruptly, without a close frame. It does nothing when none is current.
func (s *Server) DropConnection() {
	s.mu.Lock()
	c := s.cur
	if c != nil {
		s.cur = nil
		s.broadcastLocked()
	}
	s.mu.Unlock()
	if c != nil {
		s.logf("conn %d: dropping", c.id)
		c.kill()
	}
}

// SendRaw writes frame as a text message on the current connection as is, for
// example malformed JSON or an envelope of an unknown type.
func (s *Server) SendRaw(frame []byte) error {
	s.mu.Lock()
	c := s.cur
	s.mu.Unlock()
	if c == nil {
		return ErrNotConnected
	}
	if err := c.writeText(frame); err != nil {
		c.kill()
		return fmt.Errorf("slacktest: writing frame: %w", err)
	}
	s.logf("conn %d: sent raw frame %q", c.id, frame)
	return nil
}

// Dropped returns how many acks and calls were not delivered on the Acks and
// Calls channels because their buffer was full. They are still in the
// history WaitAck and WaitCall look at.
func (s *Server) Dropped() int64 { return s.dropped.Load() }

// broadcastLocked wakes up every WaitConnections. s.mu must be held.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf("slacktest: "+format, args...)
	}
}

// nextID returns a new identifier with the given prefix, unique within s.
func (s *Server) nextID(prefix string) string {
	return fmt.Sprintf("%s%08d", prefix, s.seq.Add(1))
}

// nextTS returns a new message timestamp, increasing like Slack's
// ("1700000000.000100", "1700000000.000200", ...).
func (s *Server) nextTS() string {
	micros := s.tsSeq.Add(1) * 100
	return fmt.Sprintf("%d.%06d", tsBase+micros/1e6, micros%1e6)
}

// handleSocket upgrades a dial of the URL returned by apps.connections.open.
func (s *Server) handleSocket(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "server closed", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.logf("websocket upgrade: %v", err)
		return
	}
	c := &wsConn{ws: ws, done: make(chan struct{})}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.kill()
		return
	}
	s.total++
	c.id = s.total
	s.open[c] = struct{}{}
	numConns := len(s.open)
	s.mu.Unlock()

	defer func() {
		c.kill()
		s.mu.Lock()
		delete(s.open, c)
		if s.cur == c {
			s.cur = nil
			s.broadcastLocked()
		}
		s.mu.Unlock()
		close(c.done)
		s.logf("conn %d: closed", c.id)
	}()

	if s.opts.PingInterval > 0 {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.pingLoop(c)
		}()
	}

	hello, err := json.Marshal(map[string]any{
		"type":            "hello",
		"num_connections": numConns,
		"debug_info": map[string]any{
			"host":                        "slacktest",
			"build_number":                1,
			"approximate_connection_time": 3600,
		},
		"connection_info": map[string]any{
			"app_id": s.opts.AppID,
		},
	})
	if err != nil {
		return
	}
	if err := c.writeText(hello); err != nil {
		s.logf("conn %d: writing hello: %v", c.id, err)
		return
	}

	s.logf("conn %d: open, hello sent", c.id)
	s.mu.Lock()
	if !s.closed {
		s.cur = c
		s.broadcastLocked()
	}
	s.mu.Unlock()

	s.readLoop(c)
}

// readLoop records every frame the client writes as an Ack until the
// connection fails. Control frames (pongs, close) are handled by gorilla.
func (s *Server) readLoop(c *wsConn) {
	for {
		mt, data, err := c.ws.ReadMessage()
		if err != nil {
			s.logf("conn %d: read: %v", c.id, err)
			return
		}
		if mt != websocket.TextMessage {
			s.logf("conn %d: ignoring message of type %d", c.id, mt)
			continue
		}
		var res struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal(data, &res); err != nil {
			s.logf("conn %d: unparsable frame from client %q: %v", c.id, data, err)
			continue
		}
		s.logf("conn %d: ack %s %s", c.id, res.EnvelopeID, res.Payload)
		s.acks.add(Ack{EnvelopeID: res.EnvelopeID, Payload: res.Payload, Time: time.Now()})
	}
}

func (s *Server) pingLoop(c *wsConn) {
	t := time.NewTicker(s.opts.PingInterval)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-c.done:
			return
		case <-t.C:
			payload := fmt.Appendf(nil, "ping-%d", n)
			if err := c.ws.WriteControl(websocket.PingMessage, payload, time.Now().Add(writeTimeout)); err != nil {
				s.logf("conn %d: ping: %v", c.id, err)
				c.kill()
				return
			}
		}
	}
}

// wsConn is one socket connection. gorilla/websocket allows one concurrent
// writer of data frames, so writeText serializes them; WriteControl and
// Close may be called concurrently with anything.
type wsConn struct {
	id   int
	ws   *websocket.Conn
	done chan struct{} // closed when the read loop has ended

	wmu      sync.Mutex
	killOnce sync.Once
}

func (c *wsConn) writeText(data []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.ws.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	return c.ws.WriteMessage(websocket.TextMessage, data)
}

// kill closes the underlying network connection without a close frame.
func (c *wsConn) kill() {
	c.killOnce.Do(func() { _ = c.ws.NetConn().Close() })
}

// newLoopbackServer starts an httptest server listening on 127.0.0.1 only.
func newLoopbackServer(h http.Handler) (*httptest.Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("slacktest: listening on 127.0.0.1: %w", err)
	}
	hs := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	hs.Start()
	return hs, nil
}
