package feed_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/d2iq/supportbot/bot/feed"
	"github.com/d2iq/supportbot/policy"
)

func ExampleAPI() {
	m := policy.Default()
	api := feed.NewAPI(func() *policy.Model { return m }, nil)
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://bot.example/api/konvoy.json", nil))
	body, _ := io.ReadAll(rec.Result().Body)
	fmt.Print(rec.Code, " ", string(body))
	// Output: 200 [{"cycle":"1.8","eol":false,"lts":false,"support":false},{"cycle":"1.7","eol":false,"lts":false,"support":false},{"cycle":"1.6","eol":false,"lts":false,"support":false}]
}
