package slacktest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

const testTimeout = 10 * time.Second

func newTestServer(t *testing.T, opts Options) *Server {
	t.Helper()
	if opts.Logf == nil {
		opts.Logf = t.Logf
	}
	srv, err := NewServer(opts)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	t.Cleanup(srv.Close)
	return srv
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

func newAPI(srv *Server) *slack.Client {
	return slack.New("xoxb-test",
		slack.OptionAPIURL(srv.APIURL()),
		slack.OptionAppLevelToken("xapp-test"))
}

// testClient runs a real socketmode client against srv. It acks every
// request (slash commands with a payload) and forwards every event to events.
type testClient struct {
	api     *slack.Client
	sm      *socketmode.Client
	events  chan socketmode.Event
	runDone chan struct{}
	runErr  error // set before runDone is closed
}

func startClient(t *testing.T, srv *Server, opts ...socketmode.Option) *testClient {
	t.Helper()
	api := newAPI(srv)
	c := &testClient{
		api:     api,
		sm:      socketmode.New(api, opts...),
		events:  make(chan socketmode.Event, 1024),
		runDone: make(chan struct{}),
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer close(c.runDone)
		c.runErr = c.sm.RunContext(ctx)
	}()
	fwdDone := make(chan struct{})
	go func() {
		defer close(fwdDone)
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-c.sm.Events:
				c.ack(t, evt)
				select {
				case c.events <- evt:
				default:
					t.Errorf("test event buffer full, dropping %s", evt.Type)
				}
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-fwdDone
		select {
		case <-c.runDone:
		case <-time.After(testTimeout):
			t.Error("socketmode client did not stop")
		}
	})
	return c
}

func (c *testClient) ack(t *testing.T, evt socketmode.Event) {
	var err error
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		cmd := evt.Data.(slack.SlashCommand)
		err = c.sm.Ack(*evt.Request, map[string]any{"text": "ack " + cmd.Text})
	case socketmode.EventTypeEventsAPI, socketmode.EventTypeInteractive:
		err = c.sm.Ack(*evt.Request)
	}
	if err != nil {
		t.Errorf("Ack: %v", err)
	}
}

// waitEvent returns the next event of type typ for which pred (if not nil)
// returns true, skipping the others.
func (c *testClient) waitEvent(ctx context.Context, t *testing.T, typ socketmode.EventType, pred func(socketmode.Event) bool) socketmode.Event {
	t.Helper()
	for {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s event: %v", typ, ctx.Err())
		case evt := <-c.events:
			if evt.Type == typ && (pred == nil || pred(evt)) {
				return evt
			}
		}
	}
}

// nextCall returns the next call on srv.Calls().
func nextCall(ctx context.Context, t *testing.T, srv *Server) Call {
	t.Helper()
	select {
	case c := <-srv.Calls():
		return c
	case <-ctx.Done():
		t.Fatalf("waiting for a call: %v", ctx.Err())
		return Call{}
	}
}

func withEnvelope(id string) func(socketmode.Event) bool {
	return func(evt socketmode.Event) bool {
		return evt.Request != nil && evt.Request.EnvelopeID == id
	}
}

// sendSlash sends a slash command and checks that the client receives it and
// its ack reaches the server.
func sendSlash(ctx context.Context, t *testing.T, srv *Server, c *testClient, text string) {
	t.Helper()
	id, err := srv.SendSlashCommand(SlashCommand{Command: "/support", Text: text, UserID: "U1", ChannelID: "C1"})
	if err != nil {
		t.Fatalf("SendSlashCommand: %v", err)
	}
	evt := c.waitEvent(ctx, t, socketmode.EventTypeSlashCommand, withEnvelope(id))
	if got := evt.Data.(slack.SlashCommand).Text; got != text {
		t.Errorf("slash command text = %q, want %q", got, text)
	}
	if _, err := srv.WaitAck(ctx, id); err != nil {
		t.Fatalf("WaitAck(%s): %v", id, err)
	}
}

func TestHelloAndSlashCommand(t *testing.T) {
	srv := newTestServer(t, Options{})
	c := startClient(t, srv)
	ctx := testContext(t)

	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatalf("WaitConnected: %v", err)
	}
	connected := c.waitEvent(ctx, t, socketmode.EventTypeConnected, nil)
	if info := connected.Data.(*socketmode.ConnectedEvent); info.ConnectionCount != 0 {
		t.Errorf("ConnectionCount = %d, want 0", info.ConnectionCount)
	}
	hello := c.waitEvent(ctx, t, socketmode.EventTypeHello, nil)
	if hello.Request.ConnectionInfo.AppID != "A1" || hello.Request.NumConnections != 1 {
		t.Errorf("hello = %+v", hello.Request)
	}

	id, err := srv.SendSlashCommand(SlashCommand{Command: "/support", Text: "help me", UserID: "U1", ChannelID: "C1"})
	if err != nil {
		t.Fatalf("SendSlashCommand: %v", err)
	}
	evt := c.waitEvent(ctx, t, socketmode.EventTypeSlashCommand, nil)
	if evt.Request.EnvelopeID != id || !evt.Request.AcceptsResponsePayload {
		t.Errorf("request = %+v, want envelope %s accepting a response payload", evt.Request, id)
	}
	cmd := evt.Data.(slack.SlashCommand)
	if cmd.Command != "/support" || cmd.Text != "help me" || cmd.UserID != "U1" || cmd.ChannelID != "C1" ||
		cmd.TeamID != "T1" || cmd.APIAppID != "A1" || cmd.TriggerID == "" {
		t.Errorf("slash command = %+v", cmd)
	}
	if !strings.HasPrefix(cmd.ResponseURL, strings.TrimSuffix(srv.APIURL(), "api/")+"response/") {
		t.Errorf("response_url = %q, want one of the server", cmd.ResponseURL)
	}

	var ack Ack
	select {
	case ack = <-srv.Acks():
	case <-ctx.Done():
		t.Fatal("no ack on Acks()")
	}
	if ack.EnvelopeID != id || ack.Time.IsZero() {
		t.Errorf("ack = %+v, want envelope %s", ack, id)
	}
	var payload map[string]string
	if err := json.Unmarshal(ack.Payload, &payload); err != nil || payload["text"] != "ack help me" {
		t.Errorf("ack payload = %s (%v)", ack.Payload, err)
	}
	if waited, err := srv.WaitAck(ctx, id); err != nil || waited.EnvelopeID != id {
		t.Errorf("WaitAck = %+v, %v", waited, err)
	}

	// The bot answers through the response_url.
	_, _, err = c.api.PostMessageContext(ctx, "",
		slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeEphemeral),
		slack.MsgOptionText("here you go", false))
	if err != nil {
		t.Fatalf("posting to response_url: %v", err)
	}
	call, err := srv.WaitCall(ctx, func(c Call) bool { return c.Method == "response_url" })
	if err != nil {
		t.Fatalf("WaitCall: %v", err)
	}
	if call.Param("text") != "here you go" || call.Param("response_type") != "ephemeral" || call.Status != http.StatusOK {
		t.Errorf("response_url call = %+v", call)
	}
	if got := srv.Connections(); got != 1 {
		t.Errorf("Connections() = %d, want 1", got)
	}
}

func TestEventsAPI(t *testing.T) {
	srv := newTestServer(t, Options{})
	c := startClient(t, srv)
	ctx := testContext(t)
	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatalf("WaitConnected: %v", err)
	}

	id, err := srv.SendEvent(map[string]any{
		"type":    "app_mention",
		"user":    "U1",
		"text":    "<@UBOT> hello",
		"channel": "C1",
		"ts":      "1700000001.000100",
	}, WithEventID("Ev42"), WithRetry(1, "timeout"))
	if err != nil {
		t.Fatalf("SendEvent: %v", err)
	}
	evt := c.waitEvent(ctx, t, socketmode.EventTypeEventsAPI, withEnvelope(id))
	if evt.Request.RetryAttempt != 1 || evt.Request.RetryReason != "timeout" || evt.Request.AcceptsResponsePayload {
		t.Errorf("request = %+v", evt.Request)
	}
	outer := evt.Data.(slackevents.EventsAPIEvent)
	if outer.Type != slackevents.CallbackEvent || outer.TeamID != "T1" || outer.APIAppID != "A1" {
		t.Errorf("outer event = %+v", outer)
	}
	cb, ok := outer.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok || cb.EventID != "Ev42" || cb.EventTime == 0 || len(cb.Authorizations) != 1 || cb.Authorizations[0].UserID != "UBOT" {
		t.Errorf("callback event = %+v", outer.Data)
	}
	mention, ok := outer.InnerEvent.Data.(*slackevents.AppMentionEvent)
	if !ok {
		t.Fatalf("inner event = %T, want *slackevents.AppMentionEvent", outer.InnerEvent.Data)
	}
	if mention.Text != "<@UBOT> hello" || mention.Channel != "C1" || mention.EventTimeStamp != "1700000001.000100" {
		t.Errorf("app_mention = %+v", mention)
	}
	ack, err := srv.WaitAck(ctx, id)
	if err != nil {
		t.Fatalf("WaitAck: %v", err)
	}
	if ack.Payload != nil {
		t.Errorf("ack payload = %s, want none", ack.Payload)
	}

	// Generated event ids are unique.
	id2, err := srv.SendEvent(map[string]any{"type": "app_mention", "text": "again", "channel": "C1"})
	if err != nil {
		t.Fatalf("SendEvent: %v", err)
	}
	evt = c.waitEvent(ctx, t, socketmode.EventTypeEventsAPI, withEnvelope(id2))
	cb2 := evt.Data.(slackevents.EventsAPIEvent).Data.(*slackevents.EventsAPICallbackEvent)
	if cb2.EventID == "" || cb2.EventID == "Ev42" || id2 == id {
		t.Errorf("event id %q, envelope ids %q and %q", cb2.EventID, id, id2)
	}
}

func TestInteraction(t *testing.T) {
	srv := newTestServer(t, Options{})
	c := startClient(t, srv)
	ctx := testContext(t)
	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatalf("WaitConnected: %v", err)
	}

	id, err := srv.SendInteraction(map[string]any{
		"user":    map[string]any{"id": "U1", "name": "alice"},
		"channel": map[string]any{"id": "C1"},
		"actions": []any{map[string]any{
			"type": "button", "action_id": "approve", "block_id": "b1", "value": "42",
		}},
	})
	if err != nil {
		t.Fatalf("SendInteraction: %v", err)
	}
	evt := c.waitEvent(ctx, t, socketmode.EventTypeInteractive, withEnvelope(id))
	cb := evt.Data.(slack.InteractionCallback)
	if cb.Type != slack.InteractionTypeBlockActions || cb.User.ID != "U1" || cb.Team.ID != "T1" || cb.TriggerID == "" {
		t.Errorf("interaction = %+v", cb)
	}
	if len(cb.ActionCallback.BlockActions) != 1 || cb.ActionCallback.BlockActions[0].ActionID != "approve" ||
		cb.ActionCallback.BlockActions[0].Value != "42" {
		t.Errorf("block actions = %+v", cb.ActionCallback.BlockActions)
	}
	if _, err := srv.WaitAck(ctx, id); err != nil {
		t.Fatalf("WaitAck: %v", err)
	}
}

func TestDisconnectReconnects(t *testing.T) {
	srv := newTestServer(t, Options{})
	c := startClient(t, srv)
	ctx := testContext(t)
	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatalf("WaitConnected: %v", err)
	}
	sendSlash(ctx, t, srv, c, "before")

	if err := srv.Disconnect("refresh_requested"); err != nil {
		t.Fatalf("Disconnect: %v", err)
	}
	if err := srv.WaitConnections(ctx, 2); err != nil {
		t.Fatalf("waiting for the reconnect: %v", err)
	}
	c.waitEvent(ctx, t, socketmode.EventTypeConnected, func(evt socketmode.Event) bool {
		return evt.Data.(*socketmode.ConnectedEvent).ConnectionCount == 1
	})
	sendSlash(ctx, t, srv, c, "after")
	if got := srv.Connections(); got != 2 {
		t.Errorf("Connections() = %d, want 2", got)
	}
}

func TestDropConnectionReconnects(t *testing.T) {
	srv := newTestServer(t, Options{})
	c := startClient(t, srv)
	ctx := testContext(t)
	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatalf("WaitConnected: %v", err)
	}
	sendSlash(ctx, t, srv, c, "before")

	srv.DropConnection()
	if err := srv.WaitConnections(ctx, 2); err != nil {
		t.Fatalf("waiting for the reconnect: %v", err)
	}
	sendSlash(ctx, t, srv, c, "after")

	id, err := srv.SendEvent(map[string]any{"type": "app_mention", "text": "hi", "channel": "C1"})
	if err != nil {
		t.Fatalf("SendEvent: %v", err)
	}
	c.waitEvent(ctx, t, socketmode.EventTypeEventsAPI, withEnvelope(id))
}

func TestNotConnected(t *testing.T) {
	srv := newTestServer(t, Options{})

	if _, err := srv.SendEvent(map[string]any{"type": "app_mention"}); !errors.Is(err, ErrNotConnected) {
		t.Errorf("SendEvent = %v, want ErrNotConnected", err)
	}
	if _, err := srv.SendSlashCommand(SlashCommand{Command: "/x"}); !errors.Is(err, ErrNotConnected) {
		t.Errorf("SendSlashCommand = %v, want ErrNotConnected", err)
	}
	if err := srv.Disconnect("warning"); !errors.Is(err, ErrNotConnected) {
		t.Errorf("Disconnect = %v, want ErrNotConnected", err)
	}
	if err := srv.SendRaw([]byte("{}")); !errors.Is(err, ErrNotConnected) {
		t.Errorf("SendRaw = %v, want ErrNotConnected", err)
	}
	srv.DropConnection() // no-op

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := srv.WaitConnected(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitConnected = %v, want DeadlineExceeded", err)
	}
}

func TestCloseWakesWaiters(t *testing.T) {
	srv := newTestServer(t, Options{})
	ctx := testContext(t)

	errc := make(chan error, 3)
	go func() { _, err := srv.WaitAck(ctx, "nope"); errc <- err }()
	go func() { _, err := srv.WaitCall(ctx, func(Call) bool { return false }); errc <- err }()
	go func() { errc <- srv.WaitConnected(ctx) }()
	srv.Close()
	for range 3 {
		select {
		case err := <-errc:
			if !errors.Is(err, ErrServerClosed) {
				t.Errorf("waiter returned %v, want ErrServerClosed", err)
			}
		case <-ctx.Done():
			t.Fatal("waiter not woken by Close")
		}
	}
	if _, ok := <-srv.Acks(); ok {
		t.Error("Acks() not closed")
	}
	if _, ok := <-srv.Calls(); ok {
		t.Error("Calls() not closed")
	}
	srv.Close() // idempotent
}

func TestRateLimitAndFailures(t *testing.T) {
	srv := newTestServer(t, Options{})
	api := newAPI(srv)
	ctx := testContext(t)

	srv.RateLimit("chat.postMessage", 1, 1500*time.Millisecond)
	_, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("PostMessage error = %v, want *slack.RateLimitedError", err)
	}
	if rl.RetryAfter != 2*time.Second {
		t.Errorf("RetryAfter = %v, want 2s (rounded up)", rl.RetryAfter)
	}
	first := nextCall(ctx, t, srv)
	if first.Method != "chat.postMessage" || first.Status != http.StatusTooManyRequests || first.Param("text") != "hi" {
		t.Errorf("first call = %+v", first)
	}

	// Only one call was rate limited.
	ch, ts, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
	if err != nil || ch != "C1" || ts == "" {
		t.Fatalf("PostMessage = %q, %q, %v", ch, ts, err)
	}
	if second := nextCall(ctx, t, srv); second.Status != http.StatusOK {
		t.Errorf("second call = %+v", second)
	}

	srv.RateLimit("chat.postMessage", 1, 0)
	_, _, err = api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
	if !errors.As(err, &rl) || rl.RetryAfter != 0 {
		t.Errorf("PostMessage error = %v, want *slack.RateLimitedError retry after 0s", err)
	}

	srv.FailNext("chat.postMessage", 1, http.StatusInternalServerError)
	_, _, err = api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
	var sce slack.StatusCodeError
	if !errors.As(err, &sce) || sce.Code != http.StatusInternalServerError {
		t.Errorf("PostMessage error = %v, want StatusCodeError 500", err)
	}

	srv.ErrorNext("chat.postMessage", 1, "channel_not_found")
	_, _, err = api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false))
	var ser slack.SlackErrorResponse
	if !errors.As(err, &ser) || ser.Err != "channel_not_found" {
		t.Errorf("PostMessage error = %v, want channel_not_found", err)
	}

	// Faults are per method.
	srv.RateLimit("chat.update", 1, time.Second)
	if _, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false)); err != nil {
		t.Errorf("PostMessage with a fault on another method: %v", err)
	}

	// WaitCall's predicate sees every call once, in order, so it can count.
	n := 0
	if _, err := srv.WaitCall(ctx, func(c Call) bool {
		if c.Method == "chat.postMessage" {
			n++
		}
		return n == 6
	}); err != nil {
		t.Errorf("WaitCall counting postMessage calls: %v", err)
	}
}

func TestFailAuth(t *testing.T) {
	srv := newTestServer(t, Options{})
	srv.FailAuth("invalid_auth")
	api := newAPI(srv)
	ctx := testContext(t)

	if _, err := api.AuthTestContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("AuthTest error = %v, want invalid_auth", err)
	}

	c := startClient(t, srv)
	select {
	case <-c.runDone:
	case <-ctx.Done():
		t.Fatal("socketmode client did not give up on invalid_auth")
	}
	if c.runErr == nil || c.runErr.Error() != "invalid_auth" {
		t.Errorf("RunContext = %v, want invalid_auth", c.runErr)
	}

	srv.FailAuth("")
	if resp, err := api.AuthTestContext(ctx); err != nil || resp.UserID != "UBOT" {
		t.Errorf("AuthTest after FailAuth(\"\") = %+v, %v", resp, err)
	}
}

func TestConnectionsOpenRetried(t *testing.T) {
	srv := newTestServer(t, Options{})
	srv.RateLimit("apps.connections.open", 1, 0)
	srv.FailNext("apps.connections.open", 1, http.StatusServiceUnavailable)
	c := startClient(t, srv)
	ctx := testContext(t)

	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatalf("WaitConnected: %v", err)
	}
	c.waitEvent(ctx, t, socketmode.EventTypeConnectionError, nil)
	n := 0
	call, err := srv.WaitCall(ctx, func(c Call) bool {
		if c.Method == "apps.connections.open" {
			n++
		}
		return n == 3
	})
	if err != nil {
		t.Fatalf("WaitCall: %v", err)
	}
	if call.Status != http.StatusOK || call.Token != "xapp-test" {
		t.Errorf("third apps.connections.open = %+v", call)
	}
	sendSlash(ctx, t, srv, c, "connected at last")
}

func TestSendRawGarbage(t *testing.T) {
	srv := newTestServer(t, Options{})
	c := startClient(t, srv)
	ctx := testContext(t)
	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatalf("WaitConnected: %v", err)
	}

	if err := srv.SendRaw([]byte("{not json")); err != nil {
		t.Fatalf("SendRaw: %v", err)
	}
	c.waitEvent(ctx, t, socketmode.EventTypeIncomingError, nil)

	if err := srv.SendRaw([]byte(`{"type":"no_such_type","envelope_id":"x"}`)); err != nil {
		t.Fatalf("SendRaw: %v", err)
	}
	c.waitEvent(ctx, t, socketmode.EventTypeErrorBadMessage, nil)

	// The connection survives.
	sendSlash(ctx, t, srv, c, "still there")
	if got := srv.Connections(); got != 1 {
		t.Errorf("Connections() = %d, want 1", got)
	}
}

func TestPingTimeoutReconnects(t *testing.T) {
	srv := newTestServer(t, Options{PingInterval: -1})
	c := startClient(t, srv, socketmode.OptionPingInterval(200*time.Millisecond))
	ctx := testContext(t)

	if err := srv.WaitConnections(ctx, 2); err != nil {
		t.Fatalf("no reconnect without pings: %v", err)
	}
	sendSlash(ctx, t, srv, c, "reconnected")
}

func TestPingsKeepConnection(t *testing.T) {
	srv := newTestServer(t, Options{PingInterval: 20 * time.Millisecond})
	c := startClient(t, srv, socketmode.OptionPingInterval(300*time.Millisecond))
	ctx := testContext(t)
	if err := srv.WaitConnected(ctx); err != nil {
		t.Fatalf("WaitConnected: %v", err)
	}

	// Several of the client's ping intervals pass without a reconnect.
	window := time.NewTimer(1500 * time.Millisecond)
	defer window.Stop()
	for done := false; !done; {
		select {
		case <-window.C:
			done = true
		case evt := <-c.events:
			if evt.Type == socketmode.EventTypeConnecting && evt.Data.(*slack.ConnectingEvent).ConnectionCount > 0 {
				t.Fatalf("client reconnected: %+v", evt.Data)
			}
		}
	}
	if got := srv.Connections(); got != 1 {
		t.Errorf("Connections() = %d, want 1", got)
	}
	sendSlash(ctx, t, srv, c, "alive")
}

func TestWebAPIMethods(t *testing.T) {
	srv := newTestServer(t, Options{BotUserID: "UX", TeamID: "TX"})
	api := newAPI(srv)
	ctx := testContext(t)

	auth, err := api.AuthTestContext(ctx)
	if err != nil || auth.UserID != "UX" || auth.TeamID != "TX" || auth.BotID != "BBOT" {
		t.Errorf("AuthTest = %+v, %v", auth, err)
	}
	if call := nextCall(ctx, t, srv); call.Method != "auth.test" || call.Token != "xoxb-test" {
		t.Errorf("auth.test call = %+v", call)
	}

	blocks := slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "*hi*", false, false), nil, nil)
	ch, ts1, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi", false), slack.MsgOptionBlocks(blocks))
	if err != nil || ch != "C1" {
		t.Fatalf("PostMessage = %q, %v", ch, err)
	}
	call := nextCall(ctx, t, srv)
	var sentBlocks []map[string]any
	if err := json.Unmarshal([]byte(call.Param("blocks")), &sentBlocks); err != nil || len(sentBlocks) != 1 || sentBlocks[0]["type"] != "section" {
		t.Errorf("blocks = %q (%v)", call.Param("blocks"), err)
	}

	_, ts2, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("reply", false), slack.MsgOptionTS(ts1))
	if err != nil || ts2 <= ts1 {
		t.Errorf("second PostMessage ts = %q (first %q), %v", ts2, ts1, err)
	}
	if call := nextCall(ctx, t, srv); call.Param("thread_ts") != ts1 {
		t.Errorf("thread_ts = %q, want %q", call.Param("thread_ts"), ts1)
	}

	ets, err := api.PostEphemeralContext(ctx, "C1", "U1", slack.MsgOptionText("psst", false))
	if err != nil || ets == "" {
		t.Errorf("PostEphemeral = %q, %v", ets, err)
	}
	if call := nextCall(ctx, t, srv); call.Method != "chat.postEphemeral" || call.Param("user") != "U1" {
		t.Errorf("chat.postEphemeral call = %+v", call)
	}

	_, uts, _, err := api.UpdateMessageContext(ctx, "C1", ts1, slack.MsgOptionText("edited", false))
	if err != nil || uts != ts1 {
		t.Errorf("UpdateMessage = %q, %v", uts, err)
	}
	if call := nextCall(ctx, t, srv); call.Method != "chat.update" || call.Param("text") != "edited" {
		t.Errorf("chat.update call = %+v", call)
	}

	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{blocks}}}
	resp, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: view})
	if err != nil || resp.View.ID == "" || resp.View.Type != slack.VTHomeTab || len(resp.View.Blocks.BlockSet) != 1 {
		t.Errorf("PublishView = %+v, %v", resp, err)
	}
	call = nextCall(ctx, t, srv)
	if call.Method != "views.publish" || call.JSON == nil || call.Param("user_id") != "U1" || call.Form != nil {
		t.Errorf("views.publish call = %+v", call)
	}

	info, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C9"})
	if err != nil || info.ID != "C9" || !info.IsMember {
		t.Errorf("GetConversationInfo = %+v, %v", info, err)
	}
	nextCall(ctx, t, srv)

	// Unknown methods are answered and recorded.
	httpResp, err := http.Post(srv.APIURL()+"no.such.method", "application/x-www-form-urlencoded", strings.NewReader("a=b"))
	if err != nil {
		t.Fatalf("POST unknown method: %v", err)
	}
	var body struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	err = json.NewDecoder(httpResp.Body).Decode(&body)
	httpResp.Body.Close()
	if err != nil || body.OK || body.Error != "unknown_method" {
		t.Errorf("unknown method answer = %+v, %v", body, err)
	}
	if call := nextCall(ctx, t, srv); call.Method != "no.such.method" || call.Param("a") != "b" {
		t.Errorf("unknown method call = %+v", call)
	}
	if srv.Dropped() != 0 {
		t.Errorf("Dropped() = %d", srv.Dropped())
	}
}

func TestRecorderNeverBlocks(t *testing.T) {
	var dropped atomic.Int64
	r := newRecorder[int](2, 3, &dropped)
	for i := range 10 {
		r.add(i)
	}
	if got := dropped.Load(); got != 8 {
		t.Errorf("dropped = %d, want 8", got)
	}
	if got := <-r.ch; got != 0 {
		t.Errorf("first on channel = %d, want 0", got)
	}
	ctx := testContext(t)
	// The history keeps at least the last 3 items, and no more than 6.
	if v, err := r.wait(ctx, func(v int) bool { return v == 7 }); err != nil || v != 7 {
		t.Errorf("wait(7) = %d, %v", v, err)
	}
	seen := 0
	if _, err := r.wait(ctx, func(v int) bool { seen++; return v == 9 }); err != nil || seen < 3 || seen > 6 {
		t.Errorf("wait(9) saw %d items, %v", seen, err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := r.wait(short, func(v int) bool { return v == 0 }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("wait for a forgotten item = %v, want DeadlineExceeded", err)
	}
	r.close()
	r.add(11) // ignored, does not panic
}
