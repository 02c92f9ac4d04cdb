package domain

// NoticeKind is what a notification is about. It travels with the notice as a field (the
// template to render, the digest rule) and is never recovered from a title.
type NoticeKind string

// Notice kinds. The values are stable: message templates (消息模板) are stored by kind.
const (
	NoticeAssigned     NoticeKind = "assigned"     // 交办: sign within …
	NoticeReminder     NoticeKind = "reminder"     // 提醒: a deadline is near
	NoticeUrge         NoticeKind = "urge"         // 催办 by a supervisor, by hand
	NoticeEscalation   NoticeKind = "escalation"   // a ladder rung reached
	NoticeReview       NoticeKind = "review"       // a submission waits for review
	NoticeReturned     NoticeKind = "returned"     // 退回
	NoticeContribution NoticeKind = "contribution" // a partner contributed
	NoticeExtension    NoticeKind = "extension"    // 延期 requested or decided
	NoticeInstruction  NoticeKind = "instruction"  // 批示
	NoticeCompleted    NoticeKind = "completed"    // 办结
	NoticeCancelled    NoticeKind = "cancelled"    // 撤销
	NoticeCircular     NoticeKind = "circular"     // a circular (通报) was published
	NoticeDigest       NoticeKind = "digest"       // leaders' daily digest of escalations
	NoticeTest         NoticeKind = "test"         // an admin's test message
)

// Notice is a notification to an audience around a department: its liaisons, its head,
// the plan's supervisors, the leadership group. Delivery expands it to users and channels;
// Key makes every row it becomes idempotent. An escalation's notice carries its rung: the
// name messages show and whether it goes to the leadership group.
type Notice struct {
	Key          string
	Kind         NoticeKind
	Level        Level
	RungName     string `json:",omitempty"`
	Leadership   bool   `json:",omitempty"`
	DepartmentID uint64
	Audience     []string // NotifyLiaison, NotifyDepartmentHead, NotifySupervisor, NotifyLeadership
	Title        string
	Body         string
}
