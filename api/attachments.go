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
	p, err := s.mustAuthorize(c, ActUploadAttachment, principalDept(c))
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
	name, mime := attachmentName(fh.Filename), http.DetectContentType(data)
	if err := checkFileType(name, mime); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	a := &store.Attachment{Name: name, Mime: mime, Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Data: data, UploadedBy: p.UserID, DepartmentID: p.DepartmentID}
	if err := s.deps.Store.SaveAttachment(c.Request().Context(), a); err != nil {
		return err
	}
	s.audit(c, p.UserID, p.DisplayName, domain.AttachmentUploaded{AttachmentID: a.ID, Name: a.Name, Size: a.Size})
	return created(c, map[string]any{"id": a.ID, "name": a.Name, "size": a.Size, "sha256": a.SHA256, "url": fmt.Sprintf("/api/v1/attachments/%d", a.ID)})
}

// maxReportAttachments bounds the files one submission lists.
const maxReportAttachments = 50

// ownAttachments checks the files a submission lists and fills in their metadata from the
// store: each must be a file uploaded here (the UI links the url) by the caller or by their
// own department, so no report shows another department's file; name, size and digest are
// what the server recorded at upload, never what the client says.
func (s *Server) ownAttachments(c echo.Context, p *Principal, list []domain.Attachment) error {
	if len(list) > maxReportAttachments {
		return domain.Invalidf("attachments", "附件不超过 %d 个 / at most %d attachments", maxReportAttachments, maxReportAttachments)
	}
	for i := range list {
		field := fmt.Sprintf("attachments[%d].url", i)
		raw, ok := strings.CutPrefix(list[i].URL, "/api/v1/attachments/")
		id, err := parseID(field, raw)
		if !ok || err != nil {
			return domain.Invalidf(field, "附件须先上传 / upload the file first: url must be /api/v1/attachments/{id}")
		}
		a, err := s.deps.Store.AttachmentMeta(c.Request().Context(), id)
		if domain.KindOf(err) == domain.KindNotFound || err == nil && a.UploadedBy != p.UserID && (a.DepartmentID == 0 || a.DepartmentID != p.DepartmentID) {
			return domain.Invalidf(field, "附件不存在或不是本单位上传的 / no such file uploaded by you or your department")
		}
		if err != nil {
			return err
		}
		list[i] = domain.Attachment{Name: a.Name, Size: a.Size, SHA256: a.SHA256, URL: fmt.Sprintf("/api/v1/attachments/%d", a.ID)}
	}
	return nil
}

// activeTypes are files a browser would run or render as a page: refused at upload, since
// nothing in a report needs them and a copy opened locally runs with the user's rights.
var activeTypes = map[string]bool{".html": true, ".htm": true, ".xhtml": true, ".svg": true, ".js": true, ".mjs": true,
	".exe": true, ".dll": true, ".bat": true, ".cmd": true, ".com": true, ".scr": true, ".ps1": true, ".vbs": true,
	".jar": true, ".msi": true, ".hta": true, ".lnk": true}

// sniffedAs says which sniffed types (http.DetectContentType) a file name's extension
// allows; an extension not listed takes whatever the content is.
var sniffedAs = map[string][]string{
	".pdf": {"application/pdf"}, ".png": {"image/png"}, ".jpg": {"image/jpeg"}, ".jpeg": {"image/jpeg"},
	".gif": {"image/gif"}, ".webp": {"image/webp"}, ".bmp": {"image/bmp"},
	".docx": {"application/zip"}, ".xlsx": {"application/zip"}, ".pptx": {"application/zip"}, ".zip": {"application/zip"},
	".txt": {"text/plain"}, ".csv": {"text/plain"},
}

// checkFileType refuses active content and a file whose content is not what its name says
// (a page named report.pdf).
func checkFileType(name, sniffed string) error {
	ext := strings.ToLower(path.Ext(name))
	if activeTypes[ext] || strings.HasPrefix(sniffed, "text/html") || strings.HasPrefix(sniffed, "text/xml") {
		return domain.Invalidf("file", "不接受网页、脚本或可执行文件 / web pages, scripts and executables are not accepted")
	}
	if want, ok := sniffedAs[ext]; ok {
		for _, w := range want {
			if strings.HasPrefix(sniffed, w) {
				return nil
			}
		}
		return domain.Invalidf("file", "文件内容（%s）与扩展名 %s 不符 / the content (%s) does not match the extension %s", sniffed, ext, sniffed, ext)
	}
	return nil
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
		// A 督办件's scanned original belongs to its items: who may read one may read it.
		if !s.readsCaseFile(c, a.ID) {
			return err
		}
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename*=UTF-8''`+urlEscape(a.Name))
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	// Never a page of ours: even opened directly, it runs nothing and reaches nothing.
	c.Response().Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return c.Blob(http.StatusOK, "application/octet-stream", a.Data)
}

// readsCaseFile reports whether the caller may read a 督办件 whose source includes the file.
func (s *Server) readsCaseFile(c echo.Context, attachmentID uint64) bool {
	ctx := c.Request().Context()
	ids, err := s.deps.Store.AttachmentCaseItems(ctx, attachmentID)
	if err != nil {
		return false
	}
	for _, id := range ids {
		it, err := s.deps.Store.GetItem(ctx, id)
		if err == nil && s.may(c, ActReadItem, Resource{Departments: it.Departments(), Plan: it.PlanID}) {
			return true
		}
	}
	return false
}
