package api

// csvText neutralises a text cell for spreadsheets: one that starts with = + - @, a tab or
// a carriage return would be read by Excel or WPS as a formula (=HYPERLINK(…), DDE), so
// it gets a leading ' and reads as the text it is (OWASP "CSV injection"). Numbers are
// written by the caller as numbers and never pass through here.
func csvText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
