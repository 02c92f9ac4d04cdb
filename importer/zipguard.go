package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxUnpacked bounds what a .docx or .xlsx may unpack to, all its parts together: a real
// plan unpacks to a few MB, a zip bomb to gigabytes from a few KB.
const MaxUnpacked = 64 << 20

// maxZipEntries bounds the parts of a .docx or .xlsx (Word and Excel write a few dozen).
const maxZipEntries = 10000

// ErrTooLarge is a document that unpacks past MaxUnpacked (declared or in fact).
var ErrTooLarge = errors.New(msg(fmt.Sprintf("文档解压后超过 %d MB", MaxUnpacked>>20), fmt.Sprintf("the document unpacks to more than %d MB", MaxUnpacked>>20)))

// checkZip refuses a zip whose declared uncompressed sizes add up past MaxUnpacked, before
// anything is unpacked. The sizes are the archive's claim: reads are capped as well
// (capped).
func checkZip(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil // not a zip: the reader of the format says so
	}
	if len(zr.File) > maxZipEntries {
		return ErrTooLarge
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > MaxUnpacked {
			return ErrTooLarge
		}
	}
	return nil
}

// capped reads r but fails with ErrTooLarge past max bytes, where a plain LimitReader would
// silently cut the document short.
type capped struct {
	r    io.Reader
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		if n, _ := c.r.Read(one[:]); n > 0 {
			return 0, ErrTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
