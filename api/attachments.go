package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/dubanhq/duban/domain"
	"github.com/dubanhq/duban/store"
)

// maxAttachment bounds one uploaded file.
const maxAttachment = 10 << 20

func init() {
	routeRegistrars = append(routeRegistrars, func(s *Server) {
		g := s.Echo.Group("/api/v1", s.authn)
		g.POST("/attachments", s.uploadAttachment)
		g.GET("/attachments/:aid", s.downloadAttachment)
	})
}

// uploadAttachment stores a file for a report (multipart `file`); the report then lists it.
func (s *Server) uploadAttachment(c echo.Context) error {
	p, err := s.mustAuthorize(c, ActActAsDepartment, principalDept(c))
	if err != nil {
		return err
	}
	if err := requireMediaType(c, echo.MIMEMultipartForm); err != nil {
		return err
	}
	const limit = maxAttachment + 1<<20
	if c.Request().ContentLength > limit {
		return tooLarge(&http.MaxBytesError{Limit: limit}, "file", limit)
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, limit)
	fh, err := c.FormFile("file")
	var me *http.MaxBytesError
	if errors.As(err, &me) {
		return tooLarge(err, "file", limit)
	}
	if err != nil {
		return domain.Invalidf("file", "请在 file 字段上传一个不超过 10 MB 的文件 / send one file of at most 10 MB in the multipart field file")
	}
	if fh.Size > maxAttachment {
		return domain.Invalidf("file", "文件超过 10 MB / the file is larger than 10 MB")
	}
	f, err := fh.Open()
	if err != nil {
		return domain.E(domain.KindMalformed, "file", "无法读取上传文件 / the upload could not be read", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxAttachment+1))
	if err != nil || len(data) > maxAttachment {
		return domain.Invalidf("file", "文件超过 10 MB / the file is larger than 10 MB")
	}
	sum := sha256.Sum256(data)
	a := &store.Attachment{Name: attachmentName(fh.Filename), Mime: http.DetectContentType(data), Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Data: data, UploadedBy: p.UserID, DepartmentID: p.DepartmentID}
	if err := s.deps.Store.SaveAttachment(c.Request().Context(), a); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.AttachmentUploaded{AttachmentID: a.ID, Name: a.Name, Size: a.Size})
	return created(c, map[string]any{"id": a.ID, "name": a.Name, "size": a.Size, "sha256": a.SHA256, "url": fmt.Sprintf("/api/v1/attachments/%d", a.ID)})
}

// maxAttachmentName is what the attachments.name column holds (characters).
const maxAttachmentName = 255

// attachmentName is the name an upload is kept under: the last element of the client's path
// whichever separator its system uses (../../etc/passwd, ..\..\x, C:\x), without control or
// format characters (NUL, bidi overrides that disguise an extension), and short enough for
// the column, keeping the extension. The file itself lives in the database, never on a path
// built from this name.
func attachmentName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name))
	if name == "" || name == "." || name == ".." {
		return "attachment"
	}
	if r := []rune(name); len(r) > maxAttachmentName {
		ext := []rune(path.Ext(name))
		if len(ext) > 16 {
			ext = nil
		}
		name = string(r[:maxAttachmentName-len(ext)]) + string(ext)
	}
	return name
}

// downloadAttachment serves a file: liaisons only their own department's, other roles all.
func (s *Server) downloadAttachment(c echo.Context) error {
	p := principal(c)
	id, err := pathID(c, "aid")
	if err != nil {
		return err
	}
	a, err := s.deps.Store.GetAttachment(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if err := authorize(p, ActReadItem, a.DepartmentID); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename*=UTF-8''`+urlEscape(a.Name))
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, "application/octet-stream", a.Data)
}
