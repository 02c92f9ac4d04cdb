package importer

import (
	"fmt"
	"testing"
)

// minutes is a meeting's decisions as a supervisor pastes them.
const minutes = `市政府第12次常务会议纪要
一、加快老旧小区改造，由市住建局牵头，市财政局配合，2026年3月底前完成。
二、做好春运保障工作，由市交通运输局负责，2026年2月28日前完成。
三、推进政务服务“一网通办”，市政务服务和数据管理局牵头，市发展改革委、市司法局配合，2026年6月底前完成。
四、开展安全生产大检查，市应急管理局牵头，各县(区)人民政府配合，2026年4月15日前完成。
五、研究制定促进消费措施，由市商务局牵头，市财政局配合，2026年5月底前报市政府。
`

func TestParseDecisions(t *testing.T) {
	r, err := ParseDecisions(minutes, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"一 加快老旧小区改造 [市住建局] [市财政局] [] 2026-03-31",
		"二 做好春运保障工作 [市交通运输局] [] [] 2026-02-28",
		"三 推进政务服务“一网通办” [市政务服务和数据管理局] [市发展改革委 市司法局] [] 2026-06-30",
		"四 开展安全生产大检查 [市应急管理局] [] [各县(区)人民政府] 2026-04-15",
		"五 研究制定促进消费措施 [市商务局] [市财政局] [] 2026-05-31",
	}
	if len(r.Items) != len(want) {
		t.Fatalf("%d decisions, want %d", len(r.Items), len(want))
	}
	for i, it := range r.Items {
		got := fmt.Sprintf("%s %s %v %v %v %s", it.Ref, it.Title, it.Lead, it.Partners, it.Groups, it.Window.End)
		if got != want[i] {
			t.Errorf("decision %d:\n got %s\nwant %s", i+1, got, want[i])
		}
	}
}
