package domain

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestEventsRoundTrip: every registered type writes versioned JSON and reads back as the
// struct it was written from; what rankings count (lateness) survives.
func TestEventsRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)
	yes, dept := true, uint64(5)
	samples := []Event{
		Assigned{Role: Lead, SignDue: at}, Signed{Late: true}, Reminder{Deadline{Due: at, Key: "c1"}}, Urged{Message: "请抓紧", Departments: []uint64{1, 2}}, ReminderAcknowledged{Deadline{Due: at, Key: "c1"}},
		Overdue{Deadline{Due: at, Key: "sign"}}, Escalated{Name: "催办", Deadline: Deadline{Due: at, Key: "c2r1"}},
		Submitted{Kind: KindReport, SubmissionID: 4, Cycle: 2, Late: true, LevelAtSubmit: 2, Text: "本月进展",
			Attachments: []Attachment{{Name: "数据.xlsx", Size: 10, URL: "/api/v1/attachments/3"}}},
		Submitted{Kind: KindContribution, SubmissionID: 5}, Submitted{Kind: KindCompletion, SubmissionID: 6},
		Approved{SubmissionID: 4, Kind: KindReport, Comment: "同意"}, Returned{SubmissionID: 4, Comment: "补充", ResubmitDue: at},
		ExtensionRequested{ExtensionID: 1, NewDue: at, Reason: "口径"}, ExtensionDecided{ExtensionID: 1, Approved: true, NewDue: at},
		Reassigned{Lead: []uint64{1}, Partners: []uint64{2, 3}, Reason: "划转"}, Instruction{Text: "加快", Due: at},
		Completed{How: "approved"}, Suspended{Reason: "调整"}, Resumed{Reason: "恢复", SuspendedSeconds: 60}, Cancelled{Reason: "取消"},
		IndicatorRecorded{Name: "PCT", Value: 3, AsOf: at, Note: "统计"},
		Login{}, Logout{TokenID: 1}, TokenCreated{TokenID: 2, Name: "ci", ExpiresAt: &at}, TokenRevoked{TokenID: 2, OwnerID: 3},
		UserCreated{UserID: 4, Username: "la", Role: RoleLiaison}, DepartmentCreated{DepartmentID: 5, Name: "市甲局"},
		GroupCreated{GroupID: 6, Name: "各县(区)人民政府"}, PlanSupervisorAdded{PlanID: 1, UserID: 4}, PlanSupervisorRemoved{PlanID: 1, UserID: 4}, PlanPolicySet{PlanID: 1},
		DepartmentUpdated{DepartmentID: 5, Name: "市工业和信息化局", OldName: "市工信局", Aliases: []string{"工信局"}},
		DepartmentMerged{DepartmentID: 9, Name: "市工信局", IntoID: 5, IntoName: "市工业和信息化局", Items: 3, Reassigned: 2, Users: 1},
		GroupUpdated{GroupID: 6, Name: "各县(区)人民政府", Members: []uint64{5, 9}}, GroupDeleted{GroupID: 6, Name: "各县(区)人民政府"},
		CalendarYearSet{Year: 2027, Days: 30}, CalendarOverridesSet{Days: 2}, ContactPointCreated{ContactPointID: 7, Channel: "email"},
		ContactPointDeleted{ContactPointID: 7}, ContactPointTested{ContactPointID: 7, State: "sent"}, TemplateChange{Kind: "reminder", Lang: "en"},
		TemplateChange{Reset: true, Kind: "reminder", Lang: "zh-CN"}, AttachmentUploaded{AttachmentID: 8, Name: "a.pdf", Size: 9}, LeadSet{ItemID: 3, DepartmentID: 4},
		UserUpdated{UserID: 4, Username: "la", Disabled: &yes, Role: RoleViewer, OldRole: RoleLiaison, DepartmentID: &dept, IsHead: &yes, DisplayName: "李"},
		LoginFailed{UserID: 4, Username: "la", Disabled: true}, PasswordChanged{UserID: 4, TokensRevoked: 2}, PasswordReset{UserID: 4, Username: "la", TokensRevoked: 1},
		PlanLaunched{PlanID: 1, Title: "方案", Items: 3, Started: 3, Created: true}, AssessmentRun{AssessmentID: 2, PlanID: 1, Label: "2025年度"},
		CircularDrafted{CircularID: 3, AssessmentID: 2}, CircularEdited{CircularID: 3, Version: 2, Title: "通报"},
		CircularPublished{CircularID: 3, Number: "督办通报〔2025〕1号", ContentSHA256: "ab", Notified: 4},
		RecordDecided{RecordID: 5, ItemID: 3, DepartmentID: 4, Decision: "interview"},
		SubtaskCreated{ItemID: 3, SubtaskID: 1, Title: "摸底", DepartmentID: 4, Office: "综合处", Deadline: at}, SubtaskCompleted{ItemID: 3, SubtaskID: 1},
		EvaluationOpened{EvaluationID: 2, Title: "测评", Departments: []uint64{4}, Codes: 3},
		CaseCreated{ItemID: 3, Number: "督办〔2026〕1号", SourceType: SourceInstruction}, MeetingLaunched{MeetingID: 1, Title: "常务会议", Items: []uint64{3}},
		CaseReplied{ItemID: 3},
	}
	seen := map[EventType]bool{}
	for _, e := range samples {
		raw, err := EncodeEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(raw), `{"v":1`) || !json.Valid(raw) {
			t.Errorf("%s: %s is not versioned JSON", e.EventType(), raw)
		}
		back, err := DecodeEvent(e.EventType(), raw)
		if err != nil {
			t.Fatalf("%s: %v", e.EventType(), err)
		}
		b1, _ := json.Marshal(e)
		b2, _ := json.Marshal(back)
		if string(b1) != string(b2) || back.EventType() != e.EventType() {
			t.Errorf("%s: wrote %s, read back %s (%T)", e.EventType(), b1, b2, back)
		}
		seen[e.EventType()] = true
	}
	for typ := range eventTypes {
		if !seen[typ] {
			t.Errorf("event type %s has no sample here", typ)
		}
	}
	if l, ok := Event(Signed{Late: true}).(Lateness); !ok || !l.IsLate() {
		t.Error("a late signature does not say so")
	}
}

// TestDecodeEventVersions: a payload written before versioning reads as version 1; one
// from a newer program is refused rather than misread; an unknown type is an error.
func TestDecodeEventVersions(t *testing.T) {
	e, err := DecodeEvent(EventSigned, []byte(`{"late":false}`))
	if err != nil || e.(Signed).Late {
		t.Errorf("unversioned payload: %+v %v", e, err)
	}
	if _, err := DecodeEvent(EventSigned, []byte(`{"v":2,"late":true}`)); err == nil {
		t.Error("a payload of version 2 was read by a version-1 program")
	}
	if _, err := DecodeEvent("signed_twice", []byte(`{}`)); err == nil {
		t.Error("unknown type decoded")
	}
	if e, err := DecodeEvent(EventLogin, nil); err != nil || e.EventType() != EventLogin {
		t.Errorf("empty payload: %v %v", e, err)
	}
}
