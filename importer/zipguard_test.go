package importer

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// TestCappedRead: a read past the cap fails with ErrTooLarge instead of cutting the
// document short; one that ends at the cap reads whole.
func TestCappedRead(t *testing.T) {
	if _, err := io.ReadAll(&capped{r: strings.NewReader("0123456789"), left: 5}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("past the cap: %v", err)
	}
	b, err := io.ReadAll(&capped{r: strings.NewReader("01234"), left: 5})
	if err != nil || string(b) != "01234" {
		t.Errorf("at the cap: %q %v", b, err)
	}
}
