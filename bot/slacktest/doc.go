// Package slacktest is a fake Slack for end-to-end tests and load generation:
// the real slack-go clients (slack.Client for the Web API and
// socketmode.Client for Socket Mode) connect to it over loopback
// (127.0.0.1 only) exactly as they connect to Slack.
//
// It does not import "testing": errors are returned, and every helper that
// waits takes a context.
//
// # Event flow
//
//  1. The socketmode client calls apps.connections.open on APIURL() with its
//     app-level token. The server answers with the URL of its own WebSocket
//     endpoint.
//  2. The client dials that URL. The server sends {"type":"hello",...}, makes
//     the connection the current one (WaitConnected returns, Connections goes
//     up by one) and from then on sends a WebSocket ping every
//     Options.PingInterval. slack-go drops a connection, and opens a new one,
//     when it has seen no ping for its own socketmode.OptionPingInterval (30s
//     by default).
//  3. SendSlashCommand, SendEvent and SendInteraction write an envelope
//     {"envelope_id","type","payload","accepts_response_payload",
//     "retry_attempt","retry_reason"} on the current connection. The client
//     turns it into a socketmode.Event (EventTypeSlashCommand,
//     EventTypeEventsAPI, EventTypeInteractive) on its Events channel.
//  4. The bot acknowledges with socketmode.Client.Ack, which writes
//     {"envelope_id":...,"payload":...}; the server records it as an Ack
//     (the Acks channel, WaitAck).
//  5. Every Web API call the bot makes (chat.postMessage, views.publish, a
//     POST to a response_url, ...) is answered with a plausible success and
//     recorded as a Call (the Calls channel, WaitCall).
//
// Only one connection is current at a time: a new connection replaces it.
// Disconnect sends {"type":"disconnect","reason":...} and DropConnection cuts
// the TCP connection; both make the connection stop being current at once,
// so that envelopes sent before the client reconnects fail with
// ErrNotConnected instead of being silently lost. slack-go reconnects right
// away after a disconnect message or a broken connection.
//
// RateLimit, FailNext, ErrorNext and FailAuth inject failures into the Web
// API; SendRaw writes arbitrary frames, e.g. malformed JSON.
//
// # Use in a test
//
//	srv, err := slacktest.NewServer(slacktest.Options{Logf: t.Logf})
//	if err != nil {
//		t.Fatal(err)
//	}
//	t.Cleanup(srv.Close)
//
//	api := slack.New("xoxb-test",
//		slack.OptionAPIURL(srv.APIURL()),
//		slack.OptionAppLevelToken("xapp-test"))
//	client := socketmode.New(api)
//	// start the bot with client, e.g. go bot.Run(ctx, client)
//
//	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
//	defer cancel()
//	if err := srv.WaitConnected(ctx); err != nil {
//		t.Fatal(err)
//	}
//	id, err := srv.SendSlashCommand(slacktest.SlashCommand{
//		Command: "/support", Text: "help", UserID: "U1", ChannelID: "C1",
//	})
//	if err != nil {
//		t.Fatal(err)
//	}
//	if _, err := srv.WaitAck(ctx, id); err != nil {
//		t.Fatal(err)
//	}
//	call, err := srv.WaitCall(ctx, func(c slacktest.Call) bool {
//		return c.Method == "chat.postMessage" && c.Param("channel") == "C1"
//	})
//
// Close the server after the client has stopped; Close waits for the
// server's goroutines and closes the Acks and Calls channels. A client
// still running keeps trying to reconnect to the closed server.
//
// The Acks and Calls channels never block the server: when one is full,
// further items are dropped from it (Dropped counts them) but remain visible
// to WaitAck and WaitCall, which look at a history of the latest
// Options.HistoryLimit items instead.
package slacktest
