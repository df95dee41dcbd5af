package slacktest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds the request bodies the server reads.
const maxBody = 8 << 20

// fault is an injected failure for the next calls of one method.
type fault struct {
	remaining  int
	until      time.Time     // a timed fault (an outage) lasts until then instead
	status     int           // HTTP status
	retryAfter time.Duration // for 429
	errCode    string        // "error" of the JSON body
}

// RateLimit makes the next n calls of method (e.g. "chat.postMessage") answer
// HTTP 429 with a Retry-After header of retryAfter in whole seconds, rounded
// up (0 and 1 are allowed). slack-go turns that into a *slack.RateLimitedError.
func (s *Server) RateLimit(method string, n int, retryAfter time.Duration) {
	s.addFault(method, &fault{remaining: n, status: http.StatusTooManyRequests, retryAfter: retryAfter, errCode: "ratelimited"})
}

// FailNext makes the next n calls of method answer the given HTTP status,
// e.g. 500 or 503; slack-go turns a status other than 200 and 429 into a
// slack.StatusCodeError.
func (s *Server) FailNext(method string, n int, status int) {
	s.addFault(method, &fault{remaining: n, status: status, errCode: "fatal_error"})
}

// ErrorNext makes the next n calls of method answer HTTP 200 with
// {"ok":false,"error":errCode}, e.g. "channel_not_found"; slack-go turns that
// into a slack.SlackErrorResponse.
func (s *Server) ErrorNext(method string, n int, errCode string) {
	s.addFault(method, &fault{remaining: n, status: http.StatusOK, errCode: errCode})
}

// FailAuth makes auth.test and apps.connections.open answer
// {"ok":false,"error":errCode} (e.g. "invalid_auth") until FailAuth("") is
// called. slack-go's socketmode client gives up (Run returns the error) on
// invalid_auth, account_inactive, not_authed and token_revoked, and retries
// with backoff on any other code.
func (s *Server) FailAuth(errCode string) {
	s.mu.Lock()
	s.authErr = errCode
	s.mu.Unlock()
}

// Outage makes every call of method answer status (503, 429 with
// Retry-After retryAfter, ...) for d from now: Slack down for a while.
func (s *Server) Outage(method string, d time.Duration, status int, retryAfter time.Duration) {
	code := "service_unavailable"
	if status == http.StatusTooManyRequests {
		code = "ratelimited"
	}
	s.addFault(method, &fault{remaining: 1, until: time.Now().Add(d), status: status, retryAfter: retryAfter, errCode: code})
}

// Delay makes every call of method wait d before it is answered (or until
// the caller gives up), until Delay(method, 0): a slow or, with a long d,
// hung Web API. The call is recorded when it is answered.
func (s *Server) Delay(method string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		delete(s.delays, method)
		return
	}
	s.delays[method] = d
}

func (s *Server) delay(method string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.delays[method]
}

func (s *Server) addFault(method string, f *fault) {
	if f.remaining <= 0 {
		return
	}
	s.mu.Lock()
	s.faults[method] = append(s.faults[method], f)
	s.mu.Unlock()
}

// takeFault consumes one injected failure for method, if any.
func (s *Server) takeFault(method string) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.takeFaultLocked(method)
}

func (s *Server) takeFaultLocked(method string) *fault {
	q := s.faults[method]
	if len(q) == 0 {
		return nil
	}
	if !q[0].until.IsZero() {
		if time.Now().Before(q[0].until) {
			f := *q[0]
			return &f
		}
		q = q[1:]
		if len(q) == 0 {
			delete(s.faults, method)
			return nil
		}
		s.faults[method] = q
		return s.takeFaultLocked(method)
	}
	f := *q[0]
	q[0].remaining--
	if q[0].remaining <= 0 {
		q = q[1:]
	}
	if len(q) == 0 {
		delete(s.faults, method)
	} else {
		s.faults[method] = q
	}
	return &f
}

// readCall decodes the request into a Call; Status and Time are set later.
func readCall(r *http.Request, method string) Call {
	c := Call{Method: method, Path: r.URL.Path}
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		c.Token = strings.TrimPrefix(auth, "Bearer ")
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		body, _ := io.ReadAll(r.Body)
		if len(strings.TrimSpace(string(body))) > 0 {
			var m map[string]any
			if err := json.Unmarshal(body, &m); err == nil {
				c.JSON = m
			}
		}
		if q := r.URL.Query(); len(q) > 0 {
			c.Form = q
		}
	} else {
		_ = r.ParseForm()
		c.Form = r.Form
	}
	if c.Token == "" {
		c.Token = c.Param("token")
	}
	return c
}

func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	c := readCall(r, method)
	if d := s.delay(method); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return // the caller gave up: not answered, not recorded
		}
	}
	s.serveCall(w, c)
}

func (s *Server) handleResponseURL(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.serveCall(w, readCall(r, "response_url"))
}

// serveCall answers a call, with an injected failure if one is pending, and
// records it before answering so that whoever sees the answer also finds the
// call recorded.
func (s *Server) serveCall(w http.ResponseWriter, c Call) {
	status := http.StatusOK
	header := http.Header{}
	var body any
	if f := s.takeFault(c.Method); f != nil {
		status = f.status
		if status == http.StatusTooManyRequests {
			header.Set("Retry-After", strconv.FormatInt(retryAfterSeconds(f.retryAfter), 10))
		}
		body = map[string]any{"ok": false, "error": f.errCode}
	} else {
		body = s.answer(c)
	}

	c.Status = status
	c.Time = time.Now()
	s.logf("call %s -> %d", c.Method, status)
	s.calls.add(c)

	data, err := json.Marshal(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func retryAfterSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second - 1) / time.Second)
}

func errorBody(code string) map[string]any {
	return map[string]any{"ok": false, "error": code}
}

// answer builds the successful answer of a Web API call.
func (s *Server) answer(c Call) map[string]any {
	switch c.Method {
	case "auth.test", "apps.connections.open":
		s.mu.Lock()
		authErr := s.authErr
		s.mu.Unlock()
		if authErr != "" {
			return errorBody(authErr)
		}
	}

	switch c.Method {
	case "auth.test":
		return map[string]any{
			"ok":      true,
			"url":     "https://slacktest.slack.com/",
			"team":    "slacktest",
			"user":    "bot",
			"team_id": s.opts.TeamID,
			"user_id": s.opts.BotUserID,
			"bot_id":  s.opts.BotID,
		}

	case "apps.connections.open":
		return map[string]any{
			"ok":  true,
			"url": fmt.Sprintf("%s?ticket=%s&app_id=%s", s.wsURL, s.nextID("ticket-"), s.opts.AppID),
		}

	case "chat.postMessage":
		channel := c.Param("channel")
		if channel == "" {
			return errorBody("channel_not_found")
		}
		ts := s.nextTS()
		return map[string]any{
			"ok":      true,
			"channel": channel,
			"ts":      ts,
			"message": s.message(c, ts),
		}

	case "chat.postEphemeral":
		if c.Param("channel") == "" {
			return errorBody("channel_not_found")
		}
		if c.Param("user") == "" {
			return errorBody("user_not_in_channel")
		}
		return map[string]any{"ok": true, "message_ts": s.nextTS()}

	case "chat.update":
		channel, ts := c.Param("channel"), c.Param("ts")
		if channel == "" {
			return errorBody("channel_not_found")
		}
		if ts == "" {
			return errorBody("message_not_found")
		}
		return map[string]any{
			"ok":      true,
			"channel": channel,
			"ts":      ts,
			"text":    c.Param("text"),
			"message": s.message(c, ts),
		}

	case "chat.delete":
		channel, ts := c.Param("channel"), c.Param("ts")
		if channel == "" {
			return errorBody("channel_not_found")
		}
		if ts == "" {
			return errorBody("message_not_found")
		}
		return map[string]any{"ok": true, "channel": channel, "ts": ts}

	case "views.publish":
		if c.Param("user_id") == "" {
			return errorBody("invalid_arguments")
		}
		view := map[string]any{}
		if v, ok := c.JSON["view"].(map[string]any); ok {
			for k, val := range v {
				view[k] = val
			}
		} else if raw := c.Param("view"); raw != "" {
			_ = json.Unmarshal([]byte(raw), &view)
		}
		view["id"] = s.nextID("V")
		view["team_id"] = s.opts.TeamID
		view["app_id"] = s.opts.AppID
		view["bot_id"] = s.opts.BotID
		if _, ok := view["type"]; !ok {
			view["type"] = "home"
		}
		return map[string]any{"ok": true, "view": view}

	case "conversations.info":
		channel := c.Param("channel")
		if channel == "" {
			return errorBody("channel_not_found")
		}
		return map[string]any{
			"ok": true,
			"channel": map[string]any{
				"id":         channel,
				"name":       "channel-" + strings.ToLower(channel),
				"is_channel": true,
				"is_member":  true,
				"created":    tsBase,
			},
		}

	case "response_url":
		return map[string]any{"ok": true}

	default:
		return errorBody("unknown_method")
	}
}

// message builds the message object returned by chat.postMessage and
// chat.update.
func (s *Server) message(c Call, ts string) map[string]any {
	m := map[string]any{
		"type":   "message",
		"text":   c.Param("text"),
		"user":   s.opts.BotUserID,
		"bot_id": s.opts.BotID,
		"team":   s.opts.TeamID,
		"ts":     ts,
	}
	if tts := c.Param("thread_ts"); tts != "" {
		m["thread_ts"] = tts
	}
	for _, k := range []string{"blocks", "attachments"} {
		if raw := c.Param(k); raw != "" {
			var v []any
			if err := json.Unmarshal([]byte(raw), &v); err == nil {
				m[k] = v
			}
		}
	}
	return m
}

// ClearFaults drops every failure still injected for method, outages included.
func (s *Server) ClearFaults(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.faults, method)
}
