<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>AugmentPreview</name>
    <message>
        <source>Select an image to preview its augmentation.</source>
        <translation>이미지를 선택하면 증강 결과를 미리 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>Re-roll</source>
        <translation>다시 뽑기</translation>
    </message>
    <message>
        <source>draw new random augmentations of the same image</source>
        <translation>같은 이미지로 새로운 무작위 증강을 만듭니다</translation>
    </message>
    <message>
        <source>original (as the network sees it)</source>
        <translation>원본 (네트워크가 보는 그대로)</translation>
    </message>
    <message>
        <source>augmented #%1</source>
        <translation>증강 #%1</translation>
    </message>
    <message numerus="yes">
        <source>%1 at %2×%3, %n channel(s): original, then %4 augmented</source>
        <translation>
            <numerusform>%1 (%2×%3, 채널 %n개): 원본, 그다음 증강 %4장</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AugmentSettings</name>
    <message>
        <source>Augmentation (training only)</source>
        <translation>데이터 증강 (학습 시에만)</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>프리셋</translation>
    </message>
    <message>
        <source>Mirror left-right</source>
        <translation>좌우 반전</translation>
    </message>
    <message>
        <source> px padding</source>
        <translation> px 패딩</translation>
    </message>
    <message>
        <source>Random crop</source>
        <translation>무작위 자르기</translation>
    </message>
    <message>
        <source>Flip</source>
        <translation>뒤집기</translation>
    </message>
    <message>
        <source>Rotate up to</source>
        <translation>최대 회전</translation>
    </message>
    <message>
        <source>Shift up to</source>
        <translation>최대 이동</translation>
    </message>
    <message>
        <source>to</source>
        <translation>~</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>확대</translation>
    </message>
    <message>
        <source>Colour jitter</source>
        <translation>색상 변화</translation>
    </message>
    <message>
        <source>Random erasing</source>
        <translation>무작위 지우기</translation>
    </message>
    <message>
        <source>largest shift as a fraction of the width and height</source>
        <translation>너비와 높이에 대한 비율로 나타낸 최대 이동량</translation>
    </message>
    <message>
        <source>brightness, contrast and saturation vary by up to this fraction</source>
        <translation>밝기, 대비, 채도가 최대 이 비율만큼 바뀝니다</translation>
    </message>
    <message>
        <source>probability of blanking a random rectangle</source>
        <translation>무작위 사각형 영역을 지울 확률</translation>
    </message>
    <message>
        <source>None</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>약하게</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>보통</translation>
    </message>
    <message>
        <source>Strong</source>
        <translation>강하게</translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation>회전</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>이동</translation>
    </message>
    <message>
        <source>+ your changes</source>
        <translation>+ 직접 수정함</translation>
    </message>
    <message>
        <source>Augmentation preset {preset}</source>
        <translation>증강 프리셋 {preset}</translation>
    </message>
    <message>
        <source>Augmentation: {setting}</source>
        <translation>데이터 증강: {setting}</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>BlockDiagram</name>
    <message>
        <source>identity</source>
        <translation>항등</translation>
    </message>
    <message>
        <source>1x1 conv</source>
        <translation>1x1 컨볼루션</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>계산 중…</translation>
    </message>
    <message>
        <source>{n} params</source>
        <translation>파라미터 {n}개</translation>
    </message>
    <message>
        <source>{n} params · frozen</source>
        <translation>파라미터 {n}개 · 고정</translation>
    </message>
    <message>
        <source>{n} ch</source>
        <translation>{n} 채널</translation>
    </message>
    <message>
        <source>skip: {kind}</source>
        <translation>스킵 연결: {kind}</translation>
    </message>
    <message>
        <source>Input image</source>
        <translation>입력 이미지</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Output: unknown</source>
        <translation>출력: 알 수 없음</translation>
    </message>
    <message>
        <source>{name} — network diagram</source>
        <translation>{name} — 네트워크 다이어그램</translation>
    </message>
    <message>
        <source>Drawn by CNN Studio</source>
        <translation>CNN Studio로 그림</translation>
    </message>
</context>
<context>
    <name>ClassHistogram</name>
    <message>
        <source>images</source>
        <translation>이미지 수</translation>
    </message>
</context>
<context>
    <name>ClassPanel</name>
    <message>
        <source>train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>val</source>
        <translation>검증</translation>
    </message>
    <message>
        <source>test</source>
        <translation>테스트</translation>
    </message>
    <message>
        <source>No dataset loaded.</source>
        <translation>불러온 데이터셋이 없습니다.</translation>
    </message>
    <message>
        <source>%1 classes, %2 images</source>
        <translation>클래스 %1개, 이미지 %2장</translation>
    </message>
</context>
<context>
    <name>ClassReportModel</name>
    <message>
        <source>{name}: precision {precision:.3f} (of {predicted} predicted), recall {recall:.3f} (of {support} true), F1 {f1:.3f}</source>
        <translation>{name}: 정밀도 {precision:.3f} (예측 {predicted}개 중), 재현율 {recall:.3f} (정답 {support}개 중), F1 {f1:.3f}</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>클래스</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>재현율</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>이미지 수</translation>
    </message>
    <message>
        <source>Predicted</source>
        <translation>예측 수</translation>
    </message>
    <message>
        <source>Of the images predicted as this class, the fraction that are</source>
        <translation>이 클래스로 예측된 이미지 중 실제로 이 클래스인 비율</translation>
    </message>
    <message>
        <source>Of the images of this class, the fraction found</source>
        <translation>이 클래스의 이미지 중 맞게 찾아낸 비율</translation>
    </message>
    <message>
        <source>Harmonic mean of precision and recall</source>
        <translation>정밀도와 재현율의 조화 평균</translation>
    </message>
    <message>
        <source>Images of this class</source>
        <translation>이 클래스의 이미지 수</translation>
    </message>
    <message>
        <source>Images predicted as this class</source>
        <translation>이 클래스로 예측된 이미지 수</translation>
    </message>
</context>
<context>
    <name>ClassTable</name>
    <message>
        <source>Accuracy {accuracy:.1f}% of {total} · macro avg P {mp:.3f} R {mr:.3f} F1 {mf:.3f} · weighted avg P {wp:.3f} R {wr:.3f} F1 {wf:.3f}</source>
        <translation>정확도 {accuracy:.1f}% ({total}개 중) · 매크로 평균 P {mp:.3f} R {mr:.3f} F1 {mf:.3f} · 가중 평균 P {wp:.3f} R {wr:.3f} F1 {wf:.3f}</translation>
    </message>
</context>
<context>
    <name>ClusterDialog</name>
    <message>
        <source>the project, as it is now in the studio</source>
        <translation>스튜디오에 지금 열려 있는 그대로의 프로젝트</translation>
    </message>
    <message>
        <source>one machine</source>
        <translation>머신 한 대</translation>
    </message>
    <message>
        <source>a SLURM batch job: sbatch job.slurm</source>
        <translation>SLURM 배치 작업: sbatch job.slurm</translation>
    </message>
    <message>
        <source>these commands and the checks below</source>
        <translation>이 명령들과 아래 확인 사항</translation>
    </message>
    <message>
        <source>cannot write to {folder}: {error}</source>
        <translation>{folder}에 쓸 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Run on a Cluster</source>
        <translation>클러스터에서 실행</translation>
    </message>
    <message>
        <source>Write this project with the commands that train it on several GPUs or machines (PyTorch&apos;s &lt;code&gt;torchrun&lt;/code&gt;, DistributedDataParallel). Copy the folder to the cluster, then run &lt;code&gt;./run.sh&lt;/code&gt; on one machine or submit &lt;code&gt;sbatch job.slurm&lt;/code&gt;.</source>
        <translation>이 프로젝트를 여러 GPU나 머신에서 학습시키는 명령(PyTorch의 &lt;code&gt;torchrun&lt;/code&gt;, DistributedDataParallel)과 함께 씁니다. 폴더를 클러스터에 복사한 다음, 머신 한 대에서 &lt;code&gt;./run.sh&lt;/code&gt;를 실행하거나 &lt;code&gt;sbatch job.slurm&lt;/code&gt;으로 제출하세요.</translation>
    </message>
    <message>
        <source>How many machines (SLURM --nodes)</source>
        <translation>머신 수 (SLURM --nodes)</translation>
    </message>
    <message>
        <source>none (CPU nodes)</source>
        <translation>없음 (CPU 노드)</translation>
    </message>
    <message>
        <source>GPUs on each machine; one training process per GPU. None: CPU processes (gloo)</source>
        <translation>머신마다 GPU 수; GPU마다 학습 프로세스 하나. 없음: CPU 프로세스(gloo)</translation>
    </message>
    <message>
        <source>Training processes on each machine: one per GPU, or your choice on CPU nodes</source>
        <translation>머신마다 학습 프로세스 수: GPU마다 하나, CPU 노드에서는 원하는 만큼</translation>
    </message>
    <message>
        <source>SLURM --time: HH:MM:SS or D-HH:MM:SS</source>
        <translation>SLURM --time: HH:MM:SS 또는 D-HH:MM:SS</translation>
    </message>
    <message>
        <source>the cluster&apos;s default</source>
        <translation>클러스터 기본값</translation>
    </message>
    <message>
        <source>SLURM --partition (leave empty for the default)</source>
        <translation>SLURM --partition (비워 두면 기본값)</translation>
    </message>
    <message>
        <source>The folder to write; project.json, run.sh, job.slurm and README.txt in it are replaced</source>
        <translation>파일을 쓸 폴더; 그 안의 project.json, run.sh, job.slurm, README.txt는 새로 바뀝니다</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>노드</translation>
    </message>
    <message>
        <source>GPUs per node</source>
        <translation>노드당 GPU 수</translation>
    </message>
    <message>
        <source>Processes per node</source>
        <translation>노드당 프로세스 수</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>시간 제한</translation>
    </message>
    <message>
        <source>Partition</source>
        <translation>파티션</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>출력 폴더</translation>
    </message>
    <message>
        <source>What was written appears here.</source>
        <translation>쓴 내용이 여기에 나타납니다.</translation>
    </message>
    <message>
        <source>Write Files</source>
        <translation>파일 쓰기</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>폴더 열기</translation>
    </message>
    <message>
        <source>Folder for the cluster files</source>
        <translation>클러스터 파일을 쓸 폴더</translation>
    </message>
    <message>
        <source>The design cannot train: {error}. Fix it on the Design page first.</source>
        <translation>이 설계로는 학습할 수 없습니다: {error}. 먼저 설계 페이지에서 고치세요.</translation>
    </message>
    <message>
        <source>Choose an output folder for the cluster files.</source>
        <translation>클러스터 파일을 쓸 출력 폴더를 고르세요.</translation>
    </message>
    <message>
        <source>Writing to {folder}…</source>
        <translation>{folder}에 쓰는 중…</translation>
    </message>
    <message>
        <source>(cannot read {path} back: {error})</source>
        <translation>({path}을(를) 다시 읽을 수 없습니다: {error})</translation>
    </message>
    <message>
        <source>Wrote {folder}:</source>
        <translation>{folder}에 썼습니다:</translation>
    </message>
    <message>
        <source>One machine (run.sh):</source>
        <translation>머신 한 대 (run.sh):</translation>
    </message>
    <message>
        <source>Check on the cluster:</source>
        <translation>클러스터에서 확인할 것:</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <source>Compare %1 runs</source>
        <translation>실행 %1개 비교</translation>
    </message>
    <message>
        <source>validation accuracy (%)</source>
        <translation>검증 정확도 (%)</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>검증 손실</translation>
    </message>
    <message>
        <source>Evaluating each run&apos;s best checkpoint on its validation images…</source>
        <translation>각 실행의 최고 체크포인트를 검증 이미지로 평가하는 중…</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>곡선</translation>
    </message>
    <message>
        <source>Confusion matrices</source>
        <translation>혼동 행렬</translation>
    </message>
    <message>
        <source>best validation accuracy</source>
        <translation>최고 검증 정확도</translation>
    </message>
    <message>
        <source>test accuracy</source>
        <translation>테스트 정확도</translation>
    </message>
    <message>
        <source>epochs</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>time</source>
        <translation>시간</translation>
    </message>
    <message>
        <source>status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>%1 · accuracy %2</source>
        <translation>%1 · 정확도 %2</translation>
    </message>
    <message>
        <source>%1: not evaluated (%2)</source>
        <translation>%1: 평가하지 못함 (%2)</translation>
    </message>
    <message>
        <source>Rows: true class; columns: predicted. Each run&apos;s best checkpoint on its validation images.</source>
        <translation>행: 실제 클래스, 열: 예측. 각 실행의 최고 체크포인트를 검증 이미지로 평가했습니다.</translation>
    </message>
</context>
<context>
    <name>ConfusionModel</name>
    <message>
        <source>&lt;b&gt;{true}&lt;/b&gt; correctly classified: {count} image(s) ({percent:.1f}% of {true})&lt;br&gt;Click to see them.</source>
        <translation>&lt;b&gt;{true}&lt;/b&gt; 올바르게 분류됨: 이미지 {count}개 ({true}의 {percent:.1f}%)&lt;br&gt;클릭하면 이미지를 봅니다.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{true}&lt;/b&gt; predicted as {predicted}: {count} image(s) ({percent:.1f}% of {true})&lt;br&gt;Click to see them.</source>
        <translation>&lt;b&gt;{true}&lt;/b&gt;을(를) {predicted}(으)로 예측: 이미지 {count}개 ({true}의 {percent:.1f}%)&lt;br&gt;클릭하면 이미지를 봅니다.</translation>
    </message>
    <message>
        <source>true {true}, predicted {predicted}: {count}</source>
        <translation>정답 {true}, 예측 {predicted}: {count}</translation>
    </message>
    <message>
        <source>true class {name} ({count} image(s))</source>
        <translation>정답 클래스 {name} (이미지 {count}개)</translation>
    </message>
    <message>
        <source>predicted class {name}</source>
        <translation>예측 클래스 {name}</translation>
    </message>
</context>
<context>
    <name>ConvPanel</name>
    <message>
        <source>custom (typed)</source>
        <translation>직접 입력</translation>
    </message>
    <message>
        <source>Rows separated by &apos;;&apos;, numbers by &apos;,&apos; — e.g. 1,0,-1;2,0,-2;1,0,-1</source>
        <translation>행은 &apos;;&apos;, 숫자는 &apos;,&apos;로 구분합니다 — 예: 1,0,-1;2,0,-2;1,0,-1</translation>
    </message>
    <message>
        <source>Zero rows/columns around the image: a number, &apos;same&apos; or &apos;valid&apos;</source>
        <translation>이미지 둘레에 덧붙일 0의 행/열: 숫자, &apos;same&apos; 또는 &apos;valid&apos;</translation>
    </message>
    <message>
        <source> steps/s</source>
        <translation> 스텝/초</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>재생 속도</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>프리셋</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>커널</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>패딩</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>스트라이드</translation>
    </message>
    <message>
        <source>Dilation</source>
        <translation>팽창(dilation)</translation>
    </message>
    <message>
        <source>One step back</source>
        <translation>한 스텝 뒤로</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>재생</translation>
    </message>
    <message>
        <source>One step forward</source>
        <translation>한 스텝 앞으로</translation>
    </message>
    <message>
        <source>step {i} of {n}</source>
        <translation>스텝 {i} / {n}</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>윈도우</translation>
    </message>
    <message>
        <source>× Kernel</source>
        <translation>× 커널</translation>
    </message>
    <message>
        <source>= Products</source>
        <translation>= 곱</translation>
    </message>
    <message>
        <source>Input {h}x{w}, padded {ph}x{pw} (padding tinted blue)</source>
        <translation>입력 {h}x{w}, 패딩 후 {ph}x{pw} (패딩은 파란색)</translation>
    </message>
    <message>
        <source>Output {oh}x{ow}</source>
        <translation>출력 {oh}x{ow}</translation>
    </message>
    <message>
        <source>sum{bias} = {total}</source>
        <translation>합{bias} = {total}</translation>
    </message>
    <message>
        <source> + bias</source>
        <translation> + 편향</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
</context>
<context>
    <name>DataBinding</name>
    <message>
        <source>Change data settings</source>
        <translation>데이터 설정 변경</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Search file names…</source>
        <translation>파일 이름 검색…</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>이미지</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>데이터 증강</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>상태 검사</translation>
    </message>
    <message>
        <source>Reading the dataset…</source>
        <translation>데이터셋을 읽는 중…</translation>
    </message>
    <message>
        <source>Splitting…</source>
        <translation>분할하는 중…</translation>
    </message>
    <message>
        <source>You chose the dataset&apos;s own folder; did you mean the parent folder {parent}?</source>
        <translation>데이터셋 폴더 자체를 골랐습니다. 상위 폴더 {parent}을(를) 뜻했나요?</translation>
    </message>
    <message>
        <source>Use Download (left) to fetch it, or choose the folder that holds it.</source>
        <translation>왼쪽의 다운로드로 받거나, 데이터셋이 들어 있는 폴더를 고르세요.</translation>
    </message>
    <message>
        <source>Use {parent}</source>
        <translation>{parent} 사용</translation>
    </message>
    <message>
        <source>Use the parent folder</source>
        <translation>상위 폴더 사용</translation>
    </message>
    <message>
        <source>Reading the dataset was cancelled.</source>
        <translation>데이터셋 읽기가 취소되었습니다.</translation>
    </message>
    <message>
        <source>All classes</source>
        <translation>모든 클래스</translation>
    </message>
    <message>
        <source>All splits</source>
        <translation>모든 분할</translation>
    </message>
    <message>
        <source>%1 images</source>
        <translation>이미지 %1장</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%2장 중 %1장</translation>
    </message>
</context>
<context>
    <name>DesignerPage</name>
    <message>
        <source>Blocks</source>
        <translation>블록</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Delete the selected layers (Del)</source>
        <translation>선택한 레이어 삭제 (Del)</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>복제</translation>
    </message>
    <message>
        <source>Duplicate the selected layers (Ctrl+D)</source>
        <translation>선택한 레이어 복제 (Ctrl+D)</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>위로</translation>
    </message>
    <message>
        <source>Move the selected layers up (Alt+Up)</source>
        <translation>선택한 레이어를 위로 이동 (Alt+↑)</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>아래로</translation>
    </message>
    <message>
        <source>Move the selected layers down (Alt+Down)</source>
        <translation>선택한 레이어를 아래로 이동 (Alt+↓)</translation>
    </message>
    <message>
        <source>Scale network…</source>
        <translation>네트워크 스케일링…</translation>
    </message>
    <message>
        <source>Compound scaling of an MBConv network: width, depth and resolution together (EfficientNet B0-B7)</source>
        <translation>MBConv 네트워크의 복합 스케일링: 너비, 깊이, 해상도를 함께 (EfficientNet B0-B7)</translation>
    </message>
    <message>
        <source>Parameters, trainable parameters, float32 size and multiply-accumulates for one image</source>
        <translation>이미지 한 장 기준 파라미터 수, 학습되는 파라미터 수, float32 크기, 곱셈-누산 횟수</translation>
    </message>
    <message>
        <source>Choose weights file…</source>
        <translation>가중치 파일 선택…</translation>
    </message>
    <message>
        <source>Shapes</source>
        <translation>모양</translation>
    </message>
    <message>
        <source>Diagram</source>
        <translation>다이어그램</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>속성</translation>
    </message>
    <message>
        <source>Switch to “Stack of blocks” to add layers</source>
        <translation>레이어를 추가하려면 “블록 쌓기”로 바꾸세요</translation>
    </message>
    <message>
        <source>Scaling rewrites a stack of blocks; switch to “Stack of blocks” first</source>
        <translation>스케일링은 블록 스택을 다시 씁니다; 먼저 “Stack of blocks”로 바꾸세요</translation>
    </message>
    <message>
        <source>✗ Layer {layer} ({type}) is invalid; training is blocked until it is fixed. &lt;a href=&apos;#select&apos;&gt;Select layer {layer}&lt;/a&gt;</source>
        <translation>✗ 레이어 {layer} ({type})이(가) 잘못되었습니다. 고칠 때까지 학습할 수 없습니다. &lt;a href=&apos;#select&apos;&gt;레이어 {layer} 선택&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Set out_features to {n}</source>
        <translation>out_features를 {n}(으)로 설정</translation>
    </message>
    <message>
        <source>Train every layer</source>
        <translation>모든 층 학습</translation>
    </message>
</context>
<context>
    <name>DetailPanel</name>
    <message>
        <source>Click an image to see it here.</source>
        <translation>이미지를 클릭하면 여기에 크게 보입니다.</translation>
    </message>
    <message>
        <source>%1
loading…</source>
        <translation>%1
불러오는 중…</translation>
    </message>
    <message>
        <source>Cannot show this image.</source>
        <translation>이 이미지를 표시할 수 없습니다.</translation>
    </message>
    <message>
        <source>%1
label: %2  ·  split: %3
%4</source>
        <translation>%1
레이블: %2  ·  분할: %3
%4</translation>
    </message>
    <message>
        <source>label: %1  ·  split: %2</source>
        <translation>레이블: %1  ·  분할: %2</translation>
    </message>
</context>
<context>
    <name>DiagramPanel</name>
    <message>
        <source>Tensor shapes flow down the arrows (channels × height × width).</source>
        <translation>텐서 모양이 화살표를 따라 아래로 흐릅니다 (채널 × 높이 × 너비).</translation>
    </message>
    <message>
        <source>Save the diagram as a PNG image</source>
        <translation>다이어그램을 PNG 이미지로 저장</translation>
    </message>
    <message>
        <source>Save the diagram as an SVG drawing (for slides and papers)</source>
        <translation>다이어그램을 SVG 그림으로 저장 (슬라이드·논문용)</translation>
    </message>
    <message>
        <source>Export diagram as {format}</source>
        <translation>다이어그램을 {format}(으)로 내보내기</translation>
    </message>
    <message>
        <source>{format} files (*.{ext})</source>
        <translation>{format} 파일 (*.{ext})</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path}에 저장했습니다</translation>
    </message>
    <message>
        <source>Could not write {path}</source>
        <translation>{path}에 쓸 수 없습니다</translation>
    </message>
</context>
<context>
    <name>EvaluatePage</name>
    <message>
        <source>A trained run of this project (newest first)</source>
        <translation>이 프로젝트의 학습된 실행 (최신순)</translation>
    </message>
    <message>
        <source>Read the runs folder again</source>
        <translation>실행 폴더를 다시 읽습니다</translation>
    </message>
    <message>
        <source>best checkpoint</source>
        <translation>최고 체크포인트</translation>
    </message>
    <message>
        <source>last checkpoint</source>
        <translation>마지막 체크포인트</translation>
    </message>
    <message>
        <source>validation images</source>
        <translation>검증 이미지</translation>
    </message>
    <message>
        <source>test images</source>
        <translation>테스트 이미지</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>Run the chosen checkpoint over the chosen images (F6)</source>
        <translation>선택한 체크포인트로 선택한 이미지를 평가합니다 (F6)</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>Export the chosen checkpoint: TorchScript, ONNX, state dict, safetensors or Python</source>
        <translation>선택한 체크포인트를 내보냅니다: TorchScript, ONNX, state_dict, safetensors 또는 Python</translation>
    </message>
    <message>
        <source>Report…</source>
        <translation>보고서…</translation>
    </message>
    <message>
        <source>Write one self-contained HTML report of the chosen run: network, data, settings, curves, confusion matrix, mistakes</source>
        <translation>선택한 실행의 HTML 보고서 한 파일을 씁니다: 네트워크, 데이터, 설정, 곡선, 혼동 행렬, 틀린 예</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>실행:</translation>
    </message>
    <message>
        <source>on</source>
        <translation>대상</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Not evaluated yet.</source>
        <translation>아직 평가하지 않았습니다.</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>평가 결과</translation>
    </message>
    <message>
        <source>Predict</source>
        <translation>예측</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>설명</translation>
    </message>
    <message>
        <source>Cannot read the runs folder %1: %2</source>
        <translation>실행 폴더 %1을(를) 읽을 수 없습니다: %2</translation>
    </message>
    <message>
        <source>%1 · %2 · best val %3</source>
        <translation>%1 · %2 · 최고 검증 %3</translation>
    </message>
    <message>
        <source>no trained runs yet: train on the Train page</source>
        <translation>아직 학습된 실행이 없습니다: 학습 페이지에서 학습하세요</translation>
    </message>
    <message>
        <source>Run %1 finished.</source>
        <translation>실행 %1이(가) 끝났습니다.</translation>
    </message>
    <message>
        <source>Evaluate it</source>
        <translation>평가하기</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>중단됨</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>정지됨</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>This project has no trained run yet: train one on the Train page, then evaluate it here.</source>
        <translation>이 프로젝트에는 아직 학습된 실행이 없습니다: 학습 페이지에서 학습한 뒤 여기서 평가하세요.</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>Evaluation cancelled</source>
        <translation>평가를 취소했습니다</translation>
    </message>
    <message>
        <source>cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>Evaluating…</source>
        <translation>평가하는 중…</translation>
    </message>
    <message>
        <source>Press Evaluate to run the chosen checkpoint over the chosen images: the confusion matrix, the per-class scores and the mistakes appear here.</source>
        <translation>평가를 누르면 선택한 체크포인트로 선택한 이미지를 평가합니다: 혼동 행렬, 클래스별 점수와 틀린 예가 여기에 나타납니다.</translation>
    </message>
    <message>
        <source>This project has no trained run yet. Train one on the Train page; it will appear here.</source>
        <translation>이 프로젝트에는 아직 학습된 실행이 없습니다. 학습 페이지에서 학습하면 여기에 나타납니다.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Accuracy %1%&lt;/b&gt; on %2 test images</source>
        <translation>테스트 이미지 %2개에서 &lt;b&gt;정확도 %1%&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Accuracy %1%&lt;/b&gt; on %2 validation images</source>
        <translation>검증 이미지 %2개에서 &lt;b&gt;정확도 %1%&lt;/b&gt;</translation>
    </message>
    <message>
        <source> (epoch %1)</source>
        <translation> (에포크 %1)</translation>
    </message>
    <message>
        <source>; %1 unreadable image(s) skipped</source>
        <translation>; 읽을 수 없는 이미지 %1개 건너뜀</translation>
    </message>
    <message>
        <source>Cannot read that image: %1</source>
        <translation>그 이미지를 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>test image %1</source>
        <translation>테스트 이미지 %1</translation>
    </message>
    <message>
        <source>validation image %1</source>
        <translation>검증 이미지 %1</translation>
    </message>
    <message>
        <source>This project has no trained run yet: train one on the Train page first.</source>
        <translation>이 프로젝트에는 아직 학습된 실행이 없습니다. 먼저 학습 페이지에서 학습하세요.</translation>
    </message>
    <message>
        <source>Save the run report</source>
        <translation>실행 보고서 저장</translation>
    </message>
    <message>
        <source>HTML files (*.html)</source>
        <translation>HTML 파일 (*.html)</translation>
    </message>
    <message>
        <source>Wrote the report %1.</source>
        <translation>보고서 %1을(를) 썼습니다.</translation>
    </message>
    <message>
        <source>Open it</source>
        <translation>열기</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>보고서를 쓰는 중…</translation>
    </message>
</context>
<context>
    <name>ExplainPanel</name>
    <message>
        <source>No image chosen</source>
        <translation>선택한 이미지 없음</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>이미지 열기…</translation>
    </message>
    <message>
        <source>The layer whose output (feature maps) is shown</source>
        <translation>출력(특징 맵)을 보여 줄 레이어</translation>
    </message>
    <message>
        <source>The class whose evidence Grad-CAM shows</source>
        <translation>Grad-CAM이 근거를 보여 줄 클래스</translation>
    </message>
    <message>
        <source>The layer Grad-CAM weighs (the last convolution block by default)</source>
        <translation>Grad-CAM이 사용하는 레이어 (기본: 마지막 컨볼루션 블록)</translation>
    </message>
    <message>
        <source>Feature maps of</source>
        <translation>특징 맵:</translation>
    </message>
    <message>
        <source>Grad-CAM for</source>
        <translation>Grad-CAM 클래스:</translation>
    </message>
    <message>
        <source>at</source>
        <translation>레이어:</translation>
    </message>
    <message>
        <source>Choose an image: double-click one in a gallery of the Evaluation tab, press “Explain this image” on the Predict tab, or open one here.</source>
        <translation>이미지를 고르세요: 평가 결과 탭의 갤러리에서 더블클릭하거나, 예측 탭에서 “이 이미지 설명”을 누르거나, 여기서 여세요.</translation>
    </message>
    <message>
        <source>Input, as the model sees it</source>
        <translation>모델이 보는 입력</translation>
    </message>
    <message>
        <source>Grad-CAM</source>
        <translation>Grad-CAM</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>특징 맵</translation>
    </message>
    <message>
        <source>First layer&apos;s filters</source>
        <translation>첫 레이어의 필터</translation>
    </message>
    <message>
        <source>Open an image to explain</source>
        <translation>설명할 이미지 열기</translation>
    </message>
    <message>
        <source>Pick a trained run at the top of the page first.</source>
        <translation>먼저 페이지 위쪽에서 학습된 실행을 고르세요.</translation>
    </message>
    <message>
        <source>working…</source>
        <translation>계산하는 중…</translation>
    </message>
    <message>
        <source>first convolution</source>
        <translation>첫 컨볼루션</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>예측 클래스</translation>
    </message>
    <message>
        <source>last conv block</source>
        <translation>마지막 컨볼루션 블록</translation>
    </message>
    <message>
        <source>last conv block ({layer})</source>
        <translation>마지막 컨볼루션 블록 ({layer})</translation>
    </message>
    <message>
        <source>Input as the model sees it ({w}×{h}, true class {name})</source>
        <translation>모델이 보는 입력 ({w}×{h}, 정답 클래스 {name})</translation>
    </message>
    <message>
        <source>Input as the model sees it ({w}×{h})</source>
        <translation>모델이 보는 입력 ({w}×{h})</translation>
    </message>
    <message>
        <source>Grad-CAM for {name} ({percent:.1f}%) at {layer}; red marks the strongest evidence</source>
        <translation>{layer}에서 본 {name}의 Grad-CAM ({percent:.1f}%); 빨간색이 가장 강한 근거입니다</translation>
    </message>
    <message>
        <source>Feature maps of {layer}: {c} maps of {h}×{w}</source>
        <translation>{layer}의 특징 맵: {h}×{w} 맵 {c}개</translation>
    </message>
    <message>
        <source>First layer&apos;s learned filters</source>
        <translation>첫 레이어가 학습한 필터</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export trained model</source>
        <translation>학습된 모델 내보내기</translation>
    </message>
    <message>
        <source>no trained run chosen</source>
        <translation>선택한 학습 실행 없음</translation>
    </message>
    <message>
        <source>{run} — last checkpoint</source>
        <translation>{run} — 마지막 체크포인트</translation>
    </message>
    <message>
        <source>{run} — best checkpoint</source>
        <translation>{run} — 최고 체크포인트</translation>
    </message>
    <message>
        <source>State dict (.pt)</source>
        <translation>state_dict (.pt)</translation>
    </message>
    <message>
        <source>Python source (folder)</source>
        <translation>Python 소스 (폴더)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>실행:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>형식:</translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation>저장 위치:</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>내보내기 취소</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>폴더에서 보기</translation>
    </message>
    <message>
        <source>Open the folder that holds the exported file</source>
        <translation>내보낸 파일이 있는 폴더를 엽니다</translation>
    </message>
    <message>
        <source>Train a model first (Train page), then pick its run on the Evaluate page.</source>
        <translation>먼저 모델을 학습한 뒤(학습 페이지) 평가 페이지에서 그 실행을 고르세요.</translation>
    </message>
    <message>
        <source>Folder for the Python export</source>
        <translation>Python 내보내기 폴더</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>내보낼 위치</translation>
    </message>
    <message>
        <source>{format} (*{suffix});;All files (*)</source>
        <translation>{format} (*{suffix});;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Choose where to save the export.</source>
        <translation>내보낸 파일을 저장할 위치를 고르세요.</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>Replace a file?</source>
        <translation>파일을 바꿀까요?</translation>
    </message>
    <message>
        <source>{0} already exists and is not a CNN Studio {1} export.

Replace it with the export? Its contents will be lost.</source>
        <translation>{0} 파일이 이미 있으며 CNN Studio의 {1} 내보내기 파일이 아닙니다.

내보낸 파일로 바꿀까요? 원래 내용은 사라집니다.</translation>
    </message>
    <message>
        <source>cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>Top-1 agreement: &lt;b&gt;{percent:.1f}%&lt;/b&gt;</source>
        <translation>Top-1 일치율: &lt;b&gt;{percent:.1f}%&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Top-1 agreement: &lt;b&gt;{percent:.1f}%&lt;/b&gt; ({ties} near-tie(s))</source>
        <translation>Top-1 일치율: &lt;b&gt;{percent:.1f}%&lt;/b&gt; (거의 동점 {ties}개)</translation>
    </message>
    <message>
        <source>Inputs used: &lt;b&gt;{count} {source}&lt;/b&gt;</source>
        <translation>사용한 입력: &lt;b&gt;{source} {count}개&lt;/b&gt;</translation>
    </message>
    <message>
        <source>✓ Exported and verified</source>
        <translation>✓ 내보내고 검증했습니다</translation>
    </message>
    <message>
        <source>Wrote &lt;b&gt;{path}&lt;/b&gt; ({size})</source>
        <translation>&lt;b&gt;{path}&lt;/b&gt;에 썼습니다 ({size})</translation>
    </message>
    <message>
        <source>Largest |difference| from the PyTorch model: &lt;b&gt;{diff:.3g}&lt;/b&gt; (tolerance {tolerance:.3g})</source>
        <translation>PyTorch 모델과의 최대 |차이|: &lt;b&gt;{diff:.3g}&lt;/b&gt; (허용 오차 {tolerance:.3g})</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>참고: {note}</translation>
    </message>
    <message>
        <source>✗ Not exported</source>
        <translation>✗ 내보내지 못했습니다</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>내보내기를 취소했습니다. 아무것도 쓰지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>FiltersPanel</name>
    <message>
        <source>Refresh</source>
        <extracomment>replay (kernel (C, kH, kW), bias, padding, stride, dilation, normalised input (C, H, W))</extracomment>
        <translation>새로 고침</translation>
    </message>
    <message>
        <source>Load filters</source>
        <translation>필터 불러오기</translation>
    </message>
    <message>
        <source>filter </source>
        <translation>필터 </translation>
    </message>
    <message>
        <source>Replay step by step</source>
        <translation>한 스텝씩 다시 보기</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행 기록</translation>
    </message>
    <message>
        <source>No trained runs yet: open a project and train it (Train page); its first convolution&apos;s filters then appear here as kernels.</source>
        <translation>아직 학습된 실행 기록이 없습니다: 프로젝트를 열어 학습시키면(학습 페이지) 첫 컨볼루션의 필터가 여기에 커널로 나타납니다.</translation>
    </message>
    <message>
        <source>Loading the run&apos;s filters…</source>
        <translation>실행 기록의 필터를 불러오는 중…</translation>
    </message>
    <message>
        <source>{name}: layer {layer} has {n} filters of {c}x{kh}x{kw} (padding {p}, stride {s}, dilation {d}); each makes one feature map of the image as the network sees it (normalised). These are the Explain tab&apos;s maps of this layer.</source>
        <translation>{name}: 레이어 {layer}에는 {c}x{kh}x{kw} 필터가 {n}개 있습니다 (패딩 {p}, 스트라이드 {s}, 팽창 {d}). 각 필터는 네트워크가 보는(정규화된) 이미지에서 특징 맵 하나를 만듭니다. 설명 탭에 나오는 이 레이어의 맵과 같습니다.</translation>
    </message>
    <message>
        <source>filter {i}</source>
        <translation>필터 {i}</translation>
    </message>
</context>
<context>
    <name>FineTuneControls</name>
    <message>
        <source>one more stage each time</source>
        <translation>매번 스테이지 하나씩 더</translation>
    </message>
    <message>
        <source>the whole backbone at once</source>
        <translation>백본 전체를 한 번에</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>스테이지</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>Trains</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>the head only</source>
        <translation>헤드만</translation>
    </message>
    <message>
        <source>{stage} + the head</source>
        <translation>{stage} + 헤드</translation>
    </message>
    <message>
        <source>everything (stem → head)</source>
        <translation>전체 (스템 → 헤드)</translation>
    </message>
    <message>
        <source>{stage} → head</source>
        <translation>{stage} → 헤드</translation>
    </message>
    <message>
        <source>Fine-tuning</source>
        <translation>미세 조정(파인튜닝)</translation>
    </message>
    <message>
        <source>Freeze the pretrained backbone</source>
        <translation>사전 학습된 백본 고정</translation>
    </message>
    <message>
        <source>Frozen: only the new head (and the stages chosen below) trains: fast, needs few images. Off: every layer trains from the first epoch (slower, needs more data).</source>
        <translation>고정: 새 헤드(와 아래에서 고른 스테이지)만 학습합니다. 빠르고 이미지가 적어도 됩니다. 끔: 첫 에포크부터 모든 레이어를 학습합니다 (더 느리고 데이터가 더 필요합니다).</translation>
    </message>
    <message>
        <source>Which stages train from the first epoch along with the head. Stages run from the input (stem) to the head; the deepest ones are the most specific to ImageNet.</source>
        <translation>첫 에포크부터 헤드와 함께 학습할 스테이지입니다. 스테이지는 입력 쪽(스템)에서 헤드 쪽으로 이어지며, 깊은 스테이지일수록 ImageNet에 특화되어 있습니다.</translation>
    </message>
    <message>
        <source>never</source>
        <translation>안 함</translation>
    </message>
    <message>
        <source>Gradual unfreezing: after this many completed epochs more of the backbone starts training</source>
        <translation>점진적 고정 해제: 이만큼의 에포크가 끝나면 백본의 더 많은 부분이 학습을 시작합니다</translation>
    </message>
    <message>
        <source>Unfreeze the next frozen stage (deepest first) every K epochs, or the whole backbone once K epochs are done</source>
        <translation>K 에포크마다 다음 고정 스테이지(가장 깊은 것부터)를 풀거나, K 에포크가 끝나면 백본 전체를 풉니다</translation>
    </message>
    <message>
        <source> × the head&apos;s</source>
        <translation> × 헤드의 학습률</translation>
    </message>
    <message>
        <source>The backbone&apos;s learning rate is the head&apos;s times this (0.1 is common once the backbone trains; 1 = the same rate)</source>
        <translation>백본의 학습률 = 헤드의 학습률 × 이 값 (백본을 학습할 때는 0.1이 흔합니다. 1 = 같은 학습률)</translation>
    </message>
    <message>
        <source>Train from</source>
        <translation>학습 시작 위치</translation>
    </message>
    <message>
        <source>Gradual unfreezing</source>
        <translation>점진적 고정 해제</translation>
    </message>
    <message>
        <source>Each step unfreezes</source>
        <translation>한 단계마다 풀 범위</translation>
    </message>
    <message>
        <source>Backbone learning rate</source>
        <translation>백본 학습률</translation>
    </message>
    <message>
        <source>every {n} epoch</source>
        <translation>{n} 에포크마다</translation>
    </message>
    <message>
        <source>every {n} epochs</source>
        <translation>{n} 에포크마다</translation>
    </message>
    <message>
        <source>after {n} epoch</source>
        <translation>{n} 에포크 후</translation>
    </message>
    <message>
        <source>after {n} epochs</source>
        <translation>{n} 에포크 후</translation>
    </message>
    <message>
        <source>Without pretrained weights every layer must train: choose ImageNet weights or a .pth file to freeze the backbone.</source>
        <translation>사전 학습 가중치가 없으면 모든 층을 학습해야 합니다. 백본을 고정하려면 ImageNet 가중치나 .pth 파일을 고르세요.</translation>
    </message>
    <message>
        <source>from epoch 1</source>
        <translation>에포크 1부터</translation>
    </message>
    <message>
        <source>from epoch {epoch}</source>
        <translation>에포크 {epoch}부터</translation>
    </message>
    <message>
        <source>frozen</source>
        <translation>고정</translation>
    </message>
    <message>
        <source>trains in the first epoch</source>
        <translation>첫 에포크에 학습됨</translation>
    </message>
    <message>
        <source>frozen in the first epoch: its weights do not change</source>
        <translation>첫 에포크에는 고정: 가중치가 바뀌지 않습니다</translation>
    </message>
    <message>
        <source>Cannot work out what trains: {error}</source>
        <translation>무엇이 학습되는지 알아낼 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Working out which parameters train…</source>
        <translation>학습될 파라미터를 계산하는 중…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Trainable in epoch 1: {trainable}&lt;/b&gt; of {total} parameters ({share} %)</source>
        <translation>&lt;b&gt;에포크 1에 학습되는 파라미터: {trainable}&lt;/b&gt; / 전체 {total}개 ({share} %)</translation>
    </message>
    <message>
        <source>epoch {epoch} adds {stages}</source>
        <translation>에포크 {epoch}에 {stages} 추가</translation>
    </message>
    <message>
        <source>Over the {epochs} training epochs: {steps}.</source>
        <translation>{epochs} 학습 에포크 동안: {steps}.</translation>
    </message>
    <message>
        <source>Nothing more unfreezes within the {epochs} training epochs (after {after} epochs it would); train longer or unfreeze sooner.</source>
        <translation>{epochs} 학습 에포크 안에는 더 풀리는 것이 없습니다 ({after} 에포크 후에야 풀립니다). 더 오래 학습하거나 더 일찍 푸세요.</translation>
    </message>
</context>
<context>
    <name>ForkDialog</name>
    <message>
        <source>Fork {run}</source>
        <translation>{run}에서 분기</translation>
    </message>
    <message>
        <source>epoch {epoch}  (val {accuracy})</source>
        <translation>에포크 {epoch}  (검증 {accuracy})</translation>
    </message>
    <message>
        <source>Epochs of the new run (counted from its start)</source>
        <translation>새 실행의 에포크 수 (새 실행의 시작부터 셉니다)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>시작 지점</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>옵티마이저</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>Scheduler</source>
        <translation>스케줄러</translation>
    </message>
    <message>
        <source>The new run starts from the chosen epoch&apos;s weights; the original run is kept.</source>
        <translation>새 실행은 선택한 에포크의 가중치에서 시작합니다. 원래 실행은 그대로 남습니다.</translation>
    </message>
    <message>
        <source>Fork</source>
        <translation>분기</translation>
    </message>
</context>
<context>
    <name>Gallery</name>
    <message>
        <source>Grad-CAM overlay</source>
        <extracomment>explain this sample</extracomment>
        <translation>Grad-CAM 겹쳐 보기</translation>
    </message>
    <message>
        <source>Colour each image by where the network looked for its predicted class</source>
        <translation>네트워크가 예측 클래스를 찾으려고 본 곳을 각 이미지에 색으로 표시합니다</translation>
    </message>
    <message>
        <source>Explain…</source>
        <translation>설명…</translation>
    </message>
    <message>
        <source>Feature maps and Grad-CAM of the selected image (or double-click it)</source>
        <translation>선택한 이미지의 특징 맵과 Grad-CAM (또는 더블클릭)</translation>
    </message>
</context>
<context>
    <name>GalleryModel</name>
    <message>
        <source>{true}
→ {predicted}
{percent:.0f}% sure</source>
        <translation>{true}
→ {predicted}
확신도 {percent:.0f}%</translation>
    </message>
    <message>
        <source>image {index} of the split</source>
        <translation>분할의 이미지 {index}</translation>
    </message>
    <message>
        <source>{where}&lt;br&gt;true: &lt;b&gt;{true}&lt;/b&gt; ({true_percent:.1f}%)&lt;br&gt;predicted: &lt;b&gt;{predicted}&lt;/b&gt; ({percent:.1f}%)</source>
        <translation>{where}&lt;br&gt;정답: &lt;b&gt;{true}&lt;/b&gt; ({true_percent:.1f}%)&lt;br&gt;예측: &lt;b&gt;{predicted}&lt;/b&gt; ({percent:.1f}%)</translation>
    </message>
    <message>
        <source>cannot show it: {error}</source>
        <translation>보여 줄 수 없음: {error}</translation>
    </message>
</context>
<context>
    <name>GraphicsScene</name>
    <message>
        <source>Export...</source>
        <extracomment>pyqtgraph&apos;s scene names its one context action (shown as a tooltip) through Qt&apos;s translator in this context; listing it here puts it in the studio&apos;s catalogue</extracomment>
        <translation>내보내기...</translation>
    </message>
</context>
<context>
    <name>HealthPanel</name>
    <message>
        <source>Check data</source>
        <extracomment>the English intro (what :meth:`HealthPanel._intro` translates; tests compare with it)</extracomment>
        <translation>데이터 검사</translation>
    </message>
    <message>
        <source>scan every image: unreadable files, duplicates, modes, sizes</source>
        <translation>모든 이미지를 검사합니다: 읽을 수 없는 파일, 중복, 색상 모드, 크기</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>발견 항목</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>세부 내용</translation>
    </message>
    <message>
        <source>Move to quarantine</source>
        <translation>격리 폴더로 옮기기</translation>
    </message>
    <message>
        <source>move the checked files into _quarantine beside the dataset (nothing is deleted; Edit &gt; Undo puts them back)</source>
        <translation>체크한 파일을 데이터셋 옆의 _quarantine 폴더로 옮깁니다 (삭제되는 파일은 없으며, 편집 &gt; 실행 취소로 되돌릴 수 있습니다)</translation>
    </message>
    <message>
        <source>Check the dataset for unreadable files, duplicates, mixed modes and tiny images.</source>
        <translation>데이터셋에서 읽을 수 없는 파일, 중복 파일, 섞인 색상 모드, 너무 작은 이미지를 검사합니다.</translation>
    </message>
    <message>
        <source>The dataset changed; check it again.</source>
        <translation>데이터셋이 바뀌었습니다. 다시 검사하세요.</translation>
    </message>
    <message>
        <source>Checking every image…</source>
        <translation>모든 이미지를 검사하는 중…</translation>
    </message>
    <message>
        <source>done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>The check was cancelled.</source>
        <translation>검사가 취소되었습니다.</translation>
    </message>
    <message numerus="yes">
        <source>%1 images in %2 classes — %n finding(s):</source>
        <translation>
            <numerusform>클래스 %2개, 이미지 %1장 — 문제 %n건:</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 images in %2 classes — no problems found.</source>
        <translation>클래스 %2개, 이미지 %1장 — 문제가 없습니다.</translation>
    </message>
    <message numerus="yes">
        <source>Unreadable files (%n)</source>
        <translation>
            <numerusform>읽을 수 없는 파일 (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>skipped by training</source>
        <translation>학습에서 제외됨</translation>
    </message>
    <message>
        <source>%1 across splits</source>
        <translation>분할 사이 중복 %1개</translation>
    </message>
    <message>
        <source>identical bytes</source>
        <translation>내용이 완전히 같음</translation>
    </message>
    <message numerus="yes">
        <source>Exact duplicates (%n extra copies)</source>
        <translation>
            <numerusform>중복 파일 (사본 %n개)</numerusform>
        </translation>
    </message>
    <message>
        <source>same as %1</source>
        <translation>%1와(과) 같음</translation>
    </message>
    <message numerus="yes">
        <source>Tiny images (%n)</source>
        <translation>
            <numerusform>너무 작은 이미지 (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>shorter side &lt; %1 px</source>
        <translation>짧은 변 &lt; %1 px</translation>
    </message>
    <message>
        <source>Image modes (mixed)</source>
        <translation>색상 모드 (섞여 있음)</translation>
    </message>
    <message>
        <source>Image modes</source>
        <translation>색상 모드</translation>
    </message>
    <message>
        <source>converted to the project&apos;s channels</source>
        <translation>프로젝트 채널로 변환</translation>
    </message>
    <message>
        <source>%1 images</source>
        <translation>이미지 %1장</translation>
    </message>
    <message>
        <source>Image sizes</source>
        <translation>이미지 크기</translation>
    </message>
    <message>
        <source>%1×%2 to %3×%4 px</source>
        <translation>%1×%2 ~ %3×%4 px</translation>
    </message>
    <message numerus="yes">
        <source>Classes with few images (%n)</source>
        <translation>
            <numerusform>이미지가 적은 클래스 (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>fewer than %1</source>
        <translation>%1장 미만</translation>
    </message>
    <message>
        <source>%1 training images</source>
        <translation>학습 이미지 %1장</translation>
    </message>
    <message>
        <source>Images per split</source>
        <translation>분할별 이미지 수</translation>
    </message>
    <message>
        <source>only files of a folder dataset can be moved to quarantine</source>
        <translation>폴더 데이터셋의 파일만 격리 폴더로 옮길 수 있습니다</translation>
    </message>
    <message numerus="yes">
        <source>Moved %n file(s) to quarantine.</source>
        <translation>
            <numerusform>파일 %n개를 격리 폴더로 옮겼습니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Put %n file(s) back.</source>
        <translation>
            <numerusform>파일 %n개를 원래 위치로 되돌렸습니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Move %n file(s) to quarantine</source>
        <translation>
            <numerusform>파일 %n개를 격리 폴더로 옮기기</numerusform>
        </translation>
    </message>
    <message>
        <source>Check the data again for a fresh report.</source>
        <translation>새 보고서를 보려면 데이터를 다시 검사하세요.</translation>
    </message>
    <message>
        <source>Clear cache</source>
        <translation>캐시 비우기</translation>
    </message>
    <message>
        <source>delete the images decoded for training and the cached dataset statistics (the next run decodes the images again)</source>
        <translation>학습용으로 디코딩해 둔 이미지와 캐시된 데이터셋 통계를 지웁니다 (다음 실행이 이미지를 다시 디코딩합니다)</translation>
    </message>
    <message>
        <source>Cleared the decoded-image cache: {0} MB freed; the next run decodes the images again.</source>
        <translation>디코딩된 이미지 캐시를 비웠습니다: {0} MB 확보; 다음 실행이 이미지를 다시 디코딩합니다.</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>Enter / double-click</source>
        <extracomment>keys that widgets handle themselves (English; translated when shown, context &quot;Help&quot;)</extracomment>
        <translation>Enter / 더블클릭</translation>
    </message>
    <message>
        <source>Layer palette: add the block after the selected layer</source>
        <translation>레이어 팔레트: 선택한 레이어 뒤에 블록 추가</translation>
    </message>
    <message>
        <source>Drag a block</source>
        <translation>블록 끌기</translation>
    </message>
    <message>
        <source>Layer palette: drop it between two layers of the stack</source>
        <translation>레이어 팔레트: 스택의 두 레이어 사이에 놓기</translation>
    </message>
    <message>
        <source>Drag layers</source>
        <translation>레이어 끌기</translation>
    </message>
    <message>
        <source>Layer stack: reorder (several at once with Ctrl/Shift-click)</source>
        <translation>레이어 스택: 순서 바꾸기 (Ctrl/Shift-클릭으로 여러 개 한꺼번에)</translation>
    </message>
    <message>
        <source>Design page: search the layer palette</source>
        <translation>설계 페이지: 레이어 팔레트 검색</translation>
    </message>
    <message>
        <source>Guide:</source>
        <translation>안내서:</translation>
    </message>
    <message>
        <source>Design convolutional networks as a stack of blocks, browse datasets, train with live plots, fine-tune pretrained models and export them — by clicking.</source>
        <translation>블록을 쌓아 컨볼루션 신경망을 설계하고, 데이터셋을 살펴보고, 실시간 그래프를 보며 학습하고, 사전 학습 모델을 미세 조정하고 내보내기까지 — 클릭만으로.</translation>
    </message>
    <message>
        <source>docs/guide.md in the CNN Studio sources</source>
        <translation>CNN Studio 소스의 docs/guide.md</translation>
    </message>
    <message>
        <source>User Guide</source>
        <translation>사용 안내서</translation>
    </message>
    <message>
        <source>The guide is {where}.</source>
        <translation>안내서 위치: {where}.</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>로그 폴더</translation>
    </message>
    <message>
        <source>The log is in {folder}</source>
        <translation>로그는 {folder}에 있습니다</translation>
    </message>
    <message>
        <source>About CNN Studio</source>
        <translation>CNN Studio 정보</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 또는 </translation>
    </message>
</context>
<context>
    <name>InfoBar</name>
    <message>
        <source>Dismiss</source>
        <translation>닫기</translation>
    </message>
</context>
<context>
    <name>InputShapeEditor</name>
    <message>
        <source>1 (grey)</source>
        <translation>1 (흑백)</translation>
    </message>
    <message>
        <source>Colour channels of each image (pretrained models need RGB)</source>
        <translation>이미지의 색 채널 수 (사전 학습 모델은 RGB가 필요합니다)</translation>
    </message>
    <message>
        <source>Image height in pixels after resizing</source>
        <translation>크기 조정 후 이미지 높이(픽셀)</translation>
    </message>
    <message>
        <source>Image width in pixels after resizing</source>
        <translation>크기 조정 후 이미지 너비(픽셀)</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>입력</translation>
    </message>
</context>
<context>
    <name>LRFinderDialog</name>
    <message>
        <source>Find a learning rate</source>
        <translation>학습률 찾기</translation>
    </message>
    <message>
        <source>Trains a copy of the network for up to 100 batches while the learning rate grows from 10⁻⁶ to 1, and suggests a tenth of the rate where the loss is lowest. The project and its runs are not changed.</source>
        <translation>네트워크의 복사본을 최대 100개 배치 동안 학습하면서 학습률을 10⁻⁶에서 1까지 키우고, 손실이 가장 낮은 학습률의 10분의 1을 제안합니다. 프로젝트와 실행 기록은 바뀌지 않습니다.</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>loss (smoothed)</source>
        <translation>손실 (평활)</translation>
    </message>
    <message>
        <source>Press Start.</source>
        <translation>시작을 누르세요.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Use this rate</source>
        <translation>이 학습률 사용</translation>
    </message>
    <message>
        <source>Loading the data and building the network…</source>
        <translation>데이터를 불러오고 네트워크를 만드는 중…</translation>
    </message>
    <message>
        <source>Batch %1 · learning rate %2 · loss %3</source>
        <translation>배치 %1 · 학습률 %2 · 손실 %3</translation>
    </message>
    <message>
        <source>No suggestion: the loss did not fall over the swept range.</source>
        <translation>제안 없음: 살펴본 범위에서 손실이 줄지 않았습니다.</translation>
    </message>
    <message>
        <source> The loss diverged, so the sweep stopped early.</source>
        <translation> 손실이 발산해서 일찍 멈췄습니다.</translation>
    </message>
    <message>
        <source>Suggested learning rate: %1.</source>
        <translation>제안 학습률: %1.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>use learning rate %1</source>
        <translation>학습률 %1 사용</translation>
    </message>
</context>
<context>
    <name>LabPage</name>
    <message>
        <source>Open image…</source>
        <translation>이미지 열기…</translation>
    </message>
    <message>
        <source>Project&apos;s images</source>
        <translation>프로젝트 이미지</translation>
    </message>
    <message>
        <source>Add images of the open project&apos;s dataset to the list</source>
        <translation>열린 프로젝트 데이터셋의 이미지를 목록에 추가합니다</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>이미지</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>채널</translation>
    </message>
    <message>
        <source>An image is numbers: each cell is one pixel, 0 (black) to 255 (white). Zoom in to read them (Ctrl+wheel or the slider); a colour image has three such grids, one per channel.</source>
        <translation>이미지는 숫자입니다: 칸 하나가 픽셀 하나이며 0(검정)부터 255(흰색)까지입니다. 확대하면 숫자를 읽을 수 있습니다(Ctrl+휠 또는 슬라이더). 컬러 이미지는 채널마다 이런 격자가 하나씩, 모두 세 개 있습니다.</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>확대</translation>
    </message>
    <message>
        <source>Numbers</source>
        <translation>숫자</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>컨볼루션</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>특징 맵</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>풀링</translation>
    </message>
    <message>
        <source>Your network&apos;s filters</source>
        <translation>내 네트워크의 필터</translation>
    </message>
    <message>
        <source>Why convolution</source>
        <translation>왜 컨볼루션인가</translation>
    </message>
    <message>
        <source>sample {i}: {name}</source>
        <translation>샘플 {i}: {name}</translation>
    </message>
    <message>
        <source>Reading the project&apos;s dataset…</source>
        <translation>프로젝트 데이터셋을 읽는 중…</translation>
    </message>
    <message>
        <source>dataset {i}: {name}</source>
        <translation>데이터셋 {i}: {name}</translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation>이미지 열기</translation>
    </message>
    <message>
        <source>Open image</source>
        <translation>이미지 열기</translation>
    </message>
    <message>
        <source>file: {name}</source>
        <translation>파일: {name}</translation>
    </message>
    <message>
        <source>grey</source>
        <translation>회색조</translation>
    </message>
    <message>
        <source>grey (L)</source>
        <translation>회색조 (L)</translation>
    </message>
    <message>
        <source>red</source>
        <translation>빨강</translation>
    </message>
    <message>
        <source>green</source>
        <translation>초록</translation>
    </message>
    <message>
        <source>blue</source>
        <translation>파랑</translation>
    </message>
    <message>
        <source>{h}x{w}, {c} channel(s)</source>
        <translation>{h}x{w}, 채널 {c}개</translation>
    </message>
    <message>
        <source>the image</source>
        <translation>이미지</translation>
    </message>
    <message>
        <source>the convolution&apos;s output</source>
        <translation>컨볼루션의 출력</translation>
    </message>
    <message>
        <source>feature map 1</source>
        <translation>특징 맵 1</translation>
    </message>
    <message>
        <source>the network&apos;s input (normalised)</source>
        <translation>네트워크의 입력 (정규화됨)</translation>
    </message>
</context>
<context>
    <name>LayerExplain</name>
    <message>
        <source>Parameters = out × in × K × K + out
           = {out} × {cin} × {kh} × {kw} + {out} (biases) = {params}</source>
        <translation>파라미터 = 출력 × 입력 × K × K + 출력
         = {out} × {cin} × {kh} × {kw} + {out} (편향) = {params}</translation>
    </message>
    <message>
        <source>Parameters = out × in × K × K
           = {out} × {cin} × {kh} × {kw} = {params}</source>
        <translation>파라미터 = 출력 × 입력 × K × K
         = {out} × {cin} × {kh} × {kw} = {params}</translation>
    </message>
    <message>
        <source>Parameters = in × out + out
           = {cin} × {out} + {out} = {params}</source>
        <translation>파라미터 = 입력 × 출력 + 출력
         = {cin} × {out} + {out} = {params}</translation>
    </message>
    <message>
        <source>Parameters = in × out
           = {cin} × {out} = {params}</source>
        <translation>파라미터 = 입력 × 출력
         = {cin} × {out} = {params}</translation>
    </message>
    <message>
        <source>Parameters = 0 (no learned scale and shift; running statistics are not trained)</source>
        <translation>파라미터 = 0 (학습되는 스케일·시프트 없음. 이동 통계는 학습되지 않습니다)</translation>
    </message>
    <message>
        <source>Parameters = 2 × channels (scale γ and shift β) = 2 × {c} = {params}</source>
        <translation>파라미터 = 2 × 채널 (스케일 γ와 시프트 β) = 2 × {c} = {params}</translation>
    </message>
    <message>
        <source>No learned parameters.</source>
        <translation>학습되는 파라미터가 없습니다.</translation>
    </message>
    <message>
        <source>Parameters = {params}</source>
        <translation>파라미터 = {params}</translation>
    </message>
    <message>
        <source>Unknown layer type {type}.</source>
        <translation>알 수 없는 레이어 종류 {type}입니다.</translation>
    </message>
    <message>
        <source>The input shape is unknown until layer {layer} above is fixed.</source>
        <translation>위의 레이어 {layer}을(를) 고칠 때까지 입력 모양을 알 수 없습니다.</translation>
    </message>
    <message>
        <source>Input:  {shape}</source>
        <translation>입력:  {shape}</translation>
    </message>
    <message>
        <source>Output: {shape}</source>
        <translation>출력:  {shape}</translation>
    </message>
</context>
<context>
    <name>LayerPalette</name>
    <message>
        <source>Search blocks…</source>
        <translation>블록 검색…</translation>
    </message>
    <message>
        <source>Filter the blocks by name or description (Ctrl+F); Enter adds the first match, Esc clears</source>
        <translation>이름이나 설명으로 블록 거르기 (Ctrl+F). Enter는 첫 결과를 추가하고 Esc는 지웁니다</translation>
    </message>
</context>
<context>
    <name>LayerProperties</name>
    <message>
        <source>How the output size and the parameter count follow from the arguments</source>
        <translation>출력 크기와 파라미터 수가 인자에서 어떻게 계산되는지</translation>
    </message>
    <message>
        <source>Pretrained model</source>
        <translation>사전 학습 모델</translation>
    </message>
    <message>
        <source>A pretrained model has no per-layer settings here: choose its architecture, weights and freezing in the middle column.</source>
        <translation>사전 학습 모델은 여기서 레이어별로 설정하지 않습니다. 가운데 열에서 구조, 가중치, 고정 여부를 고르세요.</translation>
    </message>
    <message>
        <source>{n} layers selected</source>
        <translation>레이어 {n}개 선택됨</translation>
    </message>
    <message>
        <source>Delete (Del), duplicate (Ctrl+D) or drag them together. Select one layer to edit its arguments.</source>
        <translation>함께 삭제(Del), 복제(Ctrl+D)하거나 끌어서 옮길 수 있습니다. 인자를 편집하려면 레이어 하나만 선택하세요.</translation>
    </message>
    <message>
        <source>No layer selected</source>
        <translation>선택한 레이어 없음</translation>
    </message>
    <message>
        <source>Select a layer in the stack to edit its arguments, or add one from the palette (double-click, Enter or drag).</source>
        <translation>인자를 편집하려면 스택에서 레이어를 선택하거나, 팔레트에서 레이어를 추가하세요 (더블클릭, Enter 또는 끌어 놓기).</translation>
    </message>
    <message>
        <source>&lt;b&gt;{type}&lt;/b&gt; &amp;nbsp; &lt;span&gt;layer {row}&lt;/span&gt;</source>
        <translation>&lt;b&gt;{type}&lt;/b&gt; &amp;nbsp; &lt;span&gt;레이어 {row}&lt;/span&gt;</translation>
    </message>
    <message>
        <source>✗ {message}
Training is blocked until this layer is fixed.</source>
        <translation>✗ {message}
이 레이어를 고칠 때까지 학습할 수 없습니다.</translation>
    </message>
    <message>
        <source>This layer has no arguments.</source>
        <translation>이 레이어에는 인자가 없습니다.</translation>
    </message>
</context>
<context>
    <name>LayerStackModel</name>
    <message>
        <source>Layer</source>
        <translation>레이어</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>인자</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>출력 모양</translation>
    </message>
    <message>
        <source>scalar</source>
        <translation>스칼라</translation>
    </message>
    <message>
        <source>Layer type</source>
        <translation>레이어 종류</translation>
    </message>
    <message>
        <source>Key arguments (edit them on the right)</source>
        <translation>주요 인자 (오른쪽에서 편집)</translation>
    </message>
    <message>
        <source>Learned weights and biases</source>
        <translation>학습되는 가중치와 편향</translation>
    </message>
    <message>
        <source>What the layer outputs for one image (C × H × W)</source>
        <translation>이미지 한 장에 대한 레이어 출력 (C × H × W)</translation>
    </message>
    <message>
        <source>✗ invalid</source>
        <translation>✗ 잘못됨</translation>
    </message>
    <message>
        <source>Layer {row} ({type}) is invalid: {message}
Training is blocked until it is fixed.</source>
        <translation>레이어 {row} ({type})이(가) 잘못되었습니다: {message}
고칠 때까지 학습할 수 없습니다.</translation>
    </message>
    <message>
        <source>Unknown until layer {layer} is fixed</source>
        <translation>레이어 {layer}을(를) 고칠 때까지 알 수 없음</translation>
    </message>
    <message>
        <source>{type}: {input} → {output}, {params} parameters</source>
        <translation>{type}: {input} → {output}, 파라미터 {params}개</translation>
    </message>
</context>
<context>
    <name>LayerStackView</name>
    <message>
        <source>The layer&apos;s index (as in error messages)</source>
        <translation>레이어 번호 (오류 메시지에 나오는 번호)</translation>
    </message>
    <message>
        <source>The network, top to bottom. Drag rows to reorder, drop blocks from the palette, Delete removes, Ctrl+D duplicates, Alt+Up/Down moves.</source>
        <translation>위에서 아래로 쌓인 네트워크입니다. 행을 끌어 순서를 바꾸고, 팔레트의 블록을 끌어 놓고, Del 키로 삭제, Ctrl+D로 복제, Alt+↑/↓로 이동합니다.</translation>
    </message>
    <message>
        <source>The stack is empty.

Double-click a block in the palette (or select it and press Enter, or drag it here) to add the first layer — for example Conv2d.</source>
        <translation>스택이 비어 있습니다.

팔레트에서 블록을 더블클릭하여(또는 선택하고 Enter, 또는 여기로 끌어 놓아) 첫 레이어를 추가하세요 — 예: Conv2d.</translation>
    </message>
    <message>
        <source>✗ {message}. Training is blocked until this layer is fixed.</source>
        <translation>✗ {message}. 이 레이어를 고칠 때까지 학습할 수 없습니다.</translation>
    </message>
</context>
<context>
    <name>LivePlot</name>
    <message>
        <source>epoch</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>epoch %1</source>
        <translation>에포크 %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Could not open the project: {error}</source>
        <translation>프로젝트를 열지 못했습니다: {error}</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>프로젝트를 열 수 없습니다</translation>
    </message>
    <message>
        <source>{path} no longer exists; it was removed from the recent files.</source>
        <translation>{path}이(가) 더 이상 없어서 최근 파일 목록에서 뺐습니다.</translation>
    </message>
    <message>
        <source>Could not import {name}: {error}</source>
        <translation>{name}을(를) 가져오지 못했습니다: {error}</translation>
    </message>
    <message>
        <source>{n} earlier run(s) now belong to {name}</source>
        <translation>이전 실행 결과 {n}개가 이제 {name}에 속합니다</translation>
    </message>
    <message>
        <source>Found {n} run(s) of “{name}” trained before runs were kept per project (in {where}). Move them into this project&apos;s runs?</source>
        <translation>프로젝트별로 실행을 보관하기 전에 학습한 “{name}”의 실행 {n}개를 찾았습니다({where}). 이 프로젝트의 실행으로 옮길까요?</translation>
    </message>
    <message>
        <source>Import them</source>
        <translation>가져오기</translation>
    </message>
    <message>
        <source>Found {n} run(s) trained before runs were kept per project, belonging to {names}. Move each into its project&apos;s runs?</source>
        <translation>프로젝트별로 실행을 보관하기 전에 학습한 실행 {n}개를 찾았습니다({names}). 각각 해당 프로젝트의 실행으로 옮길까요?</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>Exporting trained models arrives with the Evaluate page. Meanwhile use the command line: cnn-studio export RUN_DIR --format onnx --out model.onnx</source>
        <translation>학습된 모델 내보내기는 평가 페이지와 함께 제공됩니다. 그동안은 명령줄을 사용하세요: cnn-studio export RUN_DIR --format onnx --out model.onnx</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>제목 없음</translation>
    </message>
    <message>
        <source>%1 — CNN Studio</source>
        <translation>%1 — CNN Studio</translation>
    </message>
    <message>
        <source>Pretrained %1</source>
        <translation>사전 학습된 %1</translation>
    </message>
    <message>
        <source>Empty stack</source>
        <translation>빈 스택</translation>
    </message>
    <message>
        <source>✓ %1 parameters</source>
        <translation>✓ 파라미터 %1개</translation>
    </message>
    <message>
        <source>Drop a project file (.json) here to open it</source>
        <translation>프로젝트 파일(.json)을 여기에 끌어 놓으면 열립니다</translation>
    </message>
</context>
<context>
    <name>MapsPanel</name>
    <message>
        <source>Use</source>
        <translation>사용</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>프리셋</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>커널</translation>
    </message>
    <message>
        <source>Bias</source>
        <translation>편향</translation>
    </message>
    <message>
        <source>ReLU after the bias (negative values become 0)</source>
        <translation>편향 다음에 ReLU (음수는 0이 됩니다)</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>패딩</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>스트라이드</translation>
    </message>
    <message>
        <source>the kernels have different sizes; one convolution layer uses one kernel size</source>
        <translation>커널 크기가 서로 다릅니다. 컨볼루션 레이어 하나는 커널 크기 하나를 씁니다</translation>
    </message>
    <message>
        <source>{n} kernel(s) → {n} feature map(s) of {shape}: one filter, one feature map. Each map is the kernel&apos;s sums plus its bias{relu}.</source>
        <translation>커널 {n}개 → {shape} 특징 맵 {n}개: 필터 하나에 특징 맵 하나. 각 맵은 커널의 합에 편향을 더한 것입니다{relu}.</translation>
    </message>
    <message>
        <source>, then ReLU</source>
        <translation> (그다음 ReLU)</translation>
    </message>
    <message>
        <source>map {k}: kernel {i} + bias {b}</source>
        <translation>맵 {k}: 커널 {i} + 편향 {b}</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;Undo</source>
        <translation>실행 취소(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>다시 실행(&amp;R)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>최근 프로젝트(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;New from Template…</source>
        <translation>템플릿에서 새로 만들기(&amp;N)…</translation>
    </message>
    <message>
        <source>Start a new project from a built-in template</source>
        <translation>내장 템플릿으로 새 프로젝트를 시작합니다</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a project file</source>
        <translation>프로젝트 파일을 엽니다</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <source>Save the project</source>
        <translation>프로젝트를 저장합니다</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>다른 이름으로 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the project to a new file</source>
        <translation>프로젝트를 새 파일로 저장합니다</translation>
    </message>
    <message>
        <source>&amp;Import Run…</source>
        <translation>실행 가져오기(&amp;I)…</translation>
    </message>
    <message>
        <source>Attach a run folder (from the command line, another machine or an older version) to this project when its network fits</source>
        <translation>실행 폴더(명령줄, 다른 컴퓨터, 이전 버전에서 만든)를 네트워크가 맞으면 이 프로젝트에 붙입니다</translation>
    </message>
    <message>
        <source>Run on a &amp;Cluster…</source>
        <translation>클러스터에서 실행(&amp;C)…</translation>
    </message>
    <message>
        <source>Write the project with the torchrun command and a SLURM script, to train on other machines</source>
        <translation>다른 컴퓨터에서 학습하도록 프로젝트와 torchrun 명령, SLURM 스크립트를 씁니다</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>Export a trained model (TorchScript, ONNX, safetensors, Python)</source>
        <translation>학습된 모델을 내보냅니다 (TorchScript, ONNX, safetensors, Python)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>Close CNN Studio</source>
        <translation>CNN Studio를 닫습니다</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>삭제(&amp;D)</translation>
    </message>
    <message>
        <source>Delete the selected layers</source>
        <translation>선택한 레이어를 삭제합니다</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>복제(&amp;U)</translation>
    </message>
    <message>
        <source>Duplicate the selected layers</source>
        <translation>선택한 레이어를 복제합니다</translation>
    </message>
    <message>
        <source>Move &amp;Up</source>
        <translation>위로 이동(&amp;U)</translation>
    </message>
    <message>
        <source>Move the selected layers up</source>
        <translation>선택한 레이어를 위로 옮깁니다</translation>
    </message>
    <message>
        <source>Move Do&amp;wn</source>
        <translation>아래로 이동(&amp;W)</translation>
    </message>
    <message>
        <source>Move the selected layers down</source>
        <translation>선택한 레이어를 아래로 옮깁니다</translation>
    </message>
    <message>
        <source>&amp;Scale Network…</source>
        <translation>네트워크 스케일링(&amp;S)…</translation>
    </message>
    <message>
        <source>Compound scaling of an MBConv network (EfficientNet B0-B7)</source>
        <translation>MBConv 네트워크의 복합 스케일링 (EfficientNet B0-B7)</translation>
    </message>
    <message>
        <source>&amp;Start Page</source>
        <translation>시작 페이지(&amp;S)</translation>
    </message>
    <message>
        <source>Templates and recent projects</source>
        <translation>템플릿과 최근 프로젝트</translation>
    </message>
    <message>
        <source>&amp;About CNN Studio</source>
        <translation>CNN Studio 정보(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>단축키(&amp;K)</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>로그 폴더 열기(&amp;L)</translation>
    </message>
    <message>
        <source>Show the folder of the studio&apos;s log file, to attach it to a bug report</source>
        <translation>버그 보고서에 첨부할 수 있도록 스튜디오 로그 파일이 있는 폴더를 엽니다</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>User &amp;Guide</source>
        <translation>사용 안내서(&amp;G)</translation>
    </message>
    <message>
        <source>The click-by-click guide to the lecture&apos;s exercises</source>
        <translation>강의 실습을 클릭 단위로 따라 하는 안내서</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>최근 프로젝트 없음</translation>
    </message>
    <message>
        <source>Clear Recent</source>
        <translation>최근 목록 지우기</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
</context>
<context>
    <name>ModelKindSwitch</name>
    <message>
        <source>Stack of blocks</source>
        <translation>블록 쌓기</translation>
    </message>
    <message>
        <source>Build the network layer by layer from the palette</source>
        <translation>팔레트에서 레이어를 하나씩 쌓아 네트워크 만들기</translation>
    </message>
    <message>
        <source>Pretrained model</source>
        <translation>사전 학습 모델</translation>
    </message>
    <message>
        <source>Fine-tune an ImageNet-trained torchvision model (transfer learning)</source>
        <translation>ImageNet으로 학습된 torchvision 모델 미세 조정 (전이 학습)</translation>
    </message>
</context>
<context>
    <name>OptionalSizeEditor</name>
    <message>
        <source>auto</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>Use PyTorch&apos;s default: {help}</source>
        <translation>PyTorch 기본값 사용: {help}</translation>
    </message>
</context>
<context>
    <name>PaddingEditor</name>
    <message>
        <source>number</source>
        <translation>숫자</translation>
    </message>
    <message>
        <source>same</source>
        <translation>크기 유지</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>패딩 없음</translation>
    </message>
    <message>
        <source>&quot;same&quot; keeps the size (stride 1), &quot;valid&quot; means no padding</source>
        <translation>‘크기 유지’는 출력 크기를 입력과 같게 하고 (스트라이드 1), ‘패딩 없음’은 0을 덧붙이지 않습니다</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Design</source>
        <translation>설계</translation>
    </message>
    <message>
        <source>Design the network: a stack of blocks or a pretrained model</source>
        <translation>네트워크 설계: 블록을 쌓거나 사전 학습된 모델을 사용합니다</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>데이터</translation>
    </message>
    <message>
        <source>Choose and inspect the dataset</source>
        <translation>데이터셋을 고르고 살펴봅니다</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Train the network and watch it learn</source>
        <translation>네트워크를 학습시키고 배우는 과정을 지켜봅니다</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>평가</translation>
    </message>
    <message>
        <source>Confusion matrix, predictions, explanations and export</source>
        <translation>혼동 행렬, 예측, 설명과 내보내기</translation>
    </message>
    <message>
        <source>Lab</source>
        <translation>실습실</translation>
    </message>
    <message>
        <source>The Convolution Lab: convolution and pooling step by step, on your images and filters</source>
        <translation>컨볼루션 실습실: 내 이미지와 필터로 컨볼루션과 풀링을 한 스텝씩</translation>
    </message>
    <message>
        <source>The {page} page is coming soon.</source>
        <translation>{page} 페이지는 곧 제공됩니다.</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>알 수 없는 오류</translation>
    </message>
    <message>
        <source>The {page} page could not be loaded (please report it):
{error}</source>
        <translation>{page} 페이지를 불러오지 못했습니다 (알려 주세요):
{error}</translation>
    </message>
</context>
<context>
    <name>PoolPanel</name>
    <message>
        <source>max</source>
        <translation>최대</translation>
    </message>
    <message>
        <source>average</source>
        <translation>평균</translation>
    </message>
    <message>
        <source>= kernel</source>
        <translation>= 커널</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>풀링 대상</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>종류</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>커널</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>스트라이드</translation>
    </message>
    <message>
        <source>No parameters, channels unchanged: pooling learns nothing (0 parameters) and works on each channel alone (1 channel in, 1 channel out). {h}x{w} → {oh}x{ow}.</source>
        <translation>파라미터 없음, 채널 수 그대로: 풀링은 아무것도 학습하지 않으며(파라미터 0개) 채널마다 따로 작동합니다(채널 1개 입력, 채널 1개 출력). {h}x{w} → {oh}x{ow}.</translation>
    </message>
    <message>
        <source>window ({row}, {col}): max of {values} = {value:g} (green: the value kept, at row {r}, column {c})</source>
        <translation>윈도우 ({row}, {col}): {values}의 최댓값 = {value:g} (초록: 남는 값, {r}행 {c}열)</translation>
    </message>
    <message>
        <source>window ({row}, {col}): mean of {values} = {value:g}</source>
        <translation>윈도우 ({row}, {col}): {values}의 평균 = {value:g}</translation>
    </message>
</context>
<context>
    <name>PredictPanel</name>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.ppm *.pgm);;All files (*)</source>
        <translation>이미지 (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.ppm *.pgm);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Open images…</source>
        <extracomment>explain this image file</extracomment>
        <translation>이미지 열기…</translation>
    </message>
    <message>
        <source>top </source>
        <translation>상위 </translation>
    </message>
    <message>
        <source>How many classes to show per image</source>
        <translation>이미지마다 보여 줄 클래스 수</translation>
    </message>
    <message>
        <source>or drop image files or a folder here</source>
        <translation>또는 이미지 파일이나 폴더를 여기에 끌어다 놓으세요</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>No image</source>
        <translation>이미지 없음</translation>
    </message>
    <message>
        <source>Explain this image…</source>
        <translation>이 이미지 설명…</translation>
    </message>
    <message>
        <source>Open images to classify</source>
        <translation>분류할 이미지 열기</translation>
    </message>
    <message>
        <source>Pick a trained run at the top of the page first.</source>
        <translation>먼저 페이지 위쪽에서 학습된 실행을 고르세요.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>{name}
cannot read: {error}</source>
        <translation>{name}
읽을 수 없음: {error}</translation>
    </message>
    <message>
        <source>{bad} of {total} file(s) could not be read as images.</source>
        <translation>파일 {total}개 중 {bad}개를 이미지로 읽을 수 없었습니다.</translation>
    </message>
</context>
<context>
    <name>PretrainedPanel</name>
    <message>
        <source>ImageNet weights (DEFAULT)</source>
        <translation>ImageNet 가중치 (기본)</translation>
    </message>
    <message>
        <source>No weights (train from scratch)</source>
        <translation>가중치 없음 (처음부터 학습)</translation>
    </message>
    <message>
        <source>A local .pth file…</source>
        <translation>로컬 가중치 파일(*.pth)…</translation>
    </message>
    <message>
        <source>{millions} M parameters</source>
        <translation>파라미터 {millions} M개</translation>
    </message>
    <message>
        <source>ImageNet top-1 {top1} %, top-5 {top5} %</source>
        <translation>ImageNet top-1 {top1} %, top-5 {top5} %</translation>
    </message>
    <message>
        <source>ImageNet top-1 {top1} %</source>
        <translation>ImageNet top-1 {top1} %</translation>
    </message>
    <message>
        <source>trained at {size} × {size} (smallest input {h} × {w})</source>
        <translation>{size} × {size}에서 학습됨 (최소 입력 {h} × {w})</translation>
    </message>
    <message>
        <source>trained at {size} × {size}</source>
        <translation>{size} × {size}에서 학습됨</translation>
    </message>
    <message>
        <source>Random initial weights: every layer trains (a frozen backbone would never learn). Training from scratch needs far more images and epochs.</source>
        <translation>무작위 초기 가중치: 모든 레이어를 학습합니다 (고정된 백본은 전혀 배우지 못합니다). 처음부터 학습하려면 훨씬 많은 이미지와 에포크가 필요합니다.</translation>
    </message>
    <message>
        <source>Starts from {path}.</source>
        <translation>{path}에서 시작합니다.</translation>
    </message>
    <message>
        <source>✗ {path} does not exist: choose an existing .pth state dict of this architecture.</source>
        <translation>✗ {path}이(가) 없습니다: 이 구조의 가중치 파일(*.pth) 중 실제로 있는 것을 고르세요.</translation>
    </message>
    <message>
        <source>✓ In torchvision&apos;s cache: {path}</source>
        <translation>✓ torchvision 캐시에 있음: {path}</translation>
    </message>
    <message>
        <source>Not downloaded yet: the first training run downloads {file} into {folder}. Without a network, download it on another computer from {url} and copy it into that folder, or choose it with “A local .pth file…”.</source>
        <translation>아직 내려받지 않았습니다: 첫 학습 때 {file}을(를) {folder}에 내려받습니다. 네트워크가 없으면 다른 컴퓨터에서 {url}에서 내려받아 그 폴더에 복사하거나, “로컬 가중치 파일(*.pth)…”로 고르세요.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Transfer learning&lt;/b&gt;: start from a network trained on ImageNet&apos;s 1.2 million photos. Its last layer (the head) is replaced to fit your classes; train the head alone, or more of the network below it.</source>
        <translation>&lt;b&gt;전이 학습&lt;/b&gt;: ImageNet 사진 120만 장으로 학습된 네트워크에서 시작합니다. 마지막 레이어(헤드)는 내 클래스에 맞게 바뀝니다. 헤드만 학습하거나, 그 아래 네트워크까지 더 학습할 수 있습니다.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>torchvision&apos;s classification model (ResNets are a good first choice)</source>
        <translation>torchvision의 분류 모델 (처음에는 ResNet이 좋은 선택입니다)</translation>
    </message>
    <message>
        <source>Where the starting weights come from</source>
        <translation>시작 가중치를 가져올 곳</translation>
    </message>
    <message>
        <source>path to a .pth state dict</source>
        <translation>가중치 파일(*.pth) 경로</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Use the model&apos;s input size</source>
        <translation>모델의 입력 크기 사용</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>구조</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>가중치</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>입력</translation>
    </message>
    <message>
        <source>Use {arch}</source>
        <translation>{arch} 사용</translation>
    </message>
    <message>
        <source>Train from scratch</source>
        <translation>처음부터 학습</translation>
    </message>
    <message>
        <source>No pretrained weights: the backbone was unfrozen, every layer trains.</source>
        <translation>사전 학습 가중치 없음: 백본 고정을 풀었습니다. 모든 층을 학습합니다.</translation>
    </message>
    <message>
        <source>Choose pretrained weights</source>
        <translation>사전 학습 가중치 선택</translation>
    </message>
    <message>
        <source>PyTorch weights (*.pth *.pt);;All files (*)</source>
        <translation>PyTorch 가중치 (*.pth *.pt);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Cannot read torchvision&apos;s facts about {arch}: {error}</source>
        <translation>torchvision에서 {arch} 정보를 읽을 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Loading torchvision&apos;s model facts…</source>
        <translation>torchvision 모델 정보를 읽는 중…</translation>
    </message>
    <message>
        <source>Images are resized to {h} × {w}.</source>
        <translation>이미지는 {h} × {w}(으)로 크기가 조정됩니다.</translation>
    </message>
    <message>
        <source>Images are resized to {h} × {w}; the weights were trained at {size} × {size}.</source>
        <translation>이미지는 {h} × {w}(으)로 크기가 조정됩니다. 가중치는 {size} × {size}에서 학습되었습니다.</translation>
    </message>
    <message>
        <source>Set the image size to {size} × {size} and the channels to 3 (RGB) (one undoable edit). Smaller images train faster on a CPU.</source>
        <translation>이미지 크기를 {size} × {size}, 채널을 3 (RGB)으로 설정합니다 (실행 취소 가능한 편집 한 번). CPU에서는 작은 이미지가 더 빨리 학습됩니다.</translation>
    </message>
    <message>
        <source>The new head is shown with ImageNet&apos;s {classes} outputs: the dataset folder {root} has no class sub-folders yet (Data page).</source>
        <translation>새 헤드는 ImageNet의 출력 {classes}개로 표시됩니다: 데이터셋 폴더 {root}에 아직 클래스 하위 폴더가 없습니다 (데이터 페이지).</translation>
    </message>
    <message>
        <source>The new head is shown with ImageNet&apos;s {classes} outputs: no dataset folder is chosen yet (Data page).</source>
        <translation>새 헤드는 ImageNet의 출력 {classes}개로 표시됩니다: 아직 데이터셋 폴더를 고르지 않았습니다 (데이터 페이지).</translation>
    </message>
    <message>
        <source>The new head has {classes} outputs, one per class folder of {root}.</source>
        <translation>새 헤드의 출력은 {classes}개로, {root}의 클래스 폴더마다 하나입니다.</translation>
    </message>
    <message>
        <source>The new head has {classes} outputs, one per class of {dataset}.</source>
        <translation>새 헤드의 출력은 {classes}개로, {dataset}의 클래스마다 하나입니다.</translation>
    </message>
    <message>
        <source>Cannot summarise {arch}: {error}</source>
        <translation>{arch}을(를) 요약할 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Loading PyTorch to summarise {arch}…</source>
        <translation>{arch}을(를) 요약하려고 PyTorch를 불러오는 중…</translation>
    </message>
    <message>
        <source>{arch}: {total} parameters, {trained} trained, {frozen} frozen. {head} Its layers are listed under Shapes (frozen ones greyed).</source>
        <translation>{arch}: 파라미터 {total}개, 학습 {trained}개, 고정 {frozen}개. {head} 레이어 목록은 ‘모양’ 탭에 있습니다 (고정된 레이어는 회색).</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <source>epoch %v / %m</source>
        <translation>에포크 %v / %m</translation>
    </message>
    <message>
        <source>batch %v / %m</source>
        <translation>배치 %v / %m</translation>
    </message>
    <message>
        <source>Epoch %1</source>
        <translation>에포크 %1</translation>
    </message>
    <message>
        <source>left %1</source>
        <translation>남은 시간 %1</translation>
    </message>
    <message>
        <source>Estimated time left</source>
        <translation>예상 남은 시간</translation>
    </message>
    <message>
        <source>Training images per second</source>
        <translation>초당 학습 이미지 수</translation>
    </message>
</context>
<context>
    <name>ProjectFiles</name>
    <message>
        <source>CNN Studio projects (*.json);;All files (*)</source>
        <translation>CNN Studio 프로젝트 (*.json);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>저장하지 않은 변경 사항</translation>
    </message>
    <message>
        <source>Save the changes to “{name}” before closing it?</source>
        <translation>닫기 전에 “{name}”의 변경 사항을 저장할까요?</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>제목 없음</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>프로젝트를 열 수 없습니다</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>{path}을(를) 열었습니다</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>프로젝트 열기</translation>
    </message>
    <message>
        <source>New project: {name}</source>
        <translation>새 프로젝트: {name}</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>다른 이름으로 프로젝트 저장</translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation>프로젝트를 저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Could not write {target}: {reason}.
Choose another folder with File &gt; Save As.</source>
        <translation>{target}을(를) 쓰지 못했습니다: {reason}.
파일 &gt; 다른 이름으로 저장에서 다른 폴더를 고르세요.</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path}에 저장했습니다</translation>
    </message>
    <message>
        <source>Runs of the project</source>
        <translation>프로젝트의 실행 결과</translation>
    </message>
    <message>
        <source>“{name}” has {count} run(s) in {folder}. Move them to the new project ({new})?

Yes: move them. No: copy them (both projects keep them). Cancel: leave them with the old file.</source>
        <translation>“{name}”의 실행 결과 {count}개가 {folder}에 있습니다. 새 프로젝트({new})로 옮길까요?

예: 옮깁니다. 아니요: 복사합니다(두 프로젝트 모두 가집니다). 취소: 이전 파일에 그대로 둡니다.</translation>
    </message>
    <message>
        <source>Saved; {n} run(s) copied to {folder}</source>
        <translation>저장했습니다. 실행 결과 {n}개를 {folder}(으)로 복사했습니다</translation>
    </message>
    <message>
        <source>Saved; {n} run(s) moved to {folder}</source>
        <translation>저장했습니다. 실행 결과 {n}개를 {folder}(으)로 옮겼습니다</translation>
    </message>
    <message>
        <source>Cannot import the run</source>
        <translation>실행 결과를 가져올 수 없습니다</translation>
    </message>
    <message>
        <source>Imported the run {name} into {folder}</source>
        <translation>실행 결과 {name}을(를) {folder}(으)로 가져왔습니다</translation>
    </message>
    <message>
        <source>Import a run folder</source>
        <translation>실행 폴더 가져오기</translation>
    </message>
</context>
<context>
    <name>RangeSpin</name>
    <message>
        <source>{number} is outside {lo}–{hi}; not used.</source>
        <translation>{number}은(는) {lo}–{hi} 범위 밖이라 쓰지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>Recovery</name>
    <message>
        <source>an untitled project</source>
        <translation>제목 없는 프로젝트</translation>
    </message>
    <message>
        <source>d MMM</source>
        <translation>M월 d일</translation>
    </message>
    <message>
        <source>{what} (autosaved {when})</source>
        <translation>{what} ({when} 자동 저장)</translation>
    </message>
    <message>
        <source>Cannot restore</source>
        <translation>복원할 수 없습니다</translation>
    </message>
    <message>
        <source>The recovery copy {path} cannot be read: {error}</source>
        <translation>복구 사본 {path}을(를) 읽을 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Restored unsaved changes; save them with File &gt; Save</source>
        <translation>저장하지 않은 변경 사항을 복원했습니다. 파일 &gt; 저장으로 저장하세요</translation>
    </message>
    <message>
        <source>CNN Studio found unsaved changes to {what} from a previous session ({more} more after this one). Restore them?</source>
        <translation>CNN Studio가 이전 세션에서 저장하지 않은 {what}의 변경 사항을 찾았습니다(이것 말고도 {more}개 더 있음). 복원할까요?</translation>
    </message>
    <message>
        <source>CNN Studio found unsaved changes to {what} from a previous session. Restore them?</source>
        <translation>CNN Studio가 이전 세션에서 저장하지 않은 {what}의 변경 사항을 찾았습니다. 복원할까요?</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>복원</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>버리기</translation>
    </message>
</context>
<context>
    <name>RecoveryAutosaver</name>
    <message>
        <source>Could not write the recovery copy: {error}</source>
        <translation>복구 사본을 쓰지 못했습니다: {error}</translation>
    </message>
</context>
<context>
    <name>ResultsView</name>
    <message>
        <source>&lt;b&gt;Confusion matrix&lt;/b&gt; — rows: true class, columns: predicted class; click a cell to see its images</source>
        <extracomment>explain this evaluated image (a :class:`~studio.core.evaluation.evaluate.Sample`)</extracomment>
        <translation>&lt;b&gt;혼동 행렬&lt;/b&gt; — 행: 정답 클래스, 열: 예측 클래스. 칸을 클릭하면 이미지를 봅니다</translation>
    </message>
    <message>
        <source>Click a cell of the confusion matrix to see its images.</source>
        <translation>혼동 행렬의 칸을 클릭하면 그 이미지를 봅니다.</translation>
    </message>
    <message>
        <source>The most confident mistakes appear here after an evaluation.</source>
        <translation>평가가 끝나면 가장 확신한 오답이 여기에 나타납니다.</translation>
    </message>
    <message>
        <source>Per class</source>
        <translation>클래스별</translation>
    </message>
    <message>
        <source>Cell images</source>
        <translation>칸의 이미지</translation>
    </message>
    <message>
        <source>Most confident mistakes</source>
        <translation>가장 확신한 오답</translation>
    </message>
    <message>
        <source>{count} mistake(s), most confident first (the {shown} most confident shown)</source>
        <translation>오답 {count}개, 확신도 높은 순 (가장 확신한 {shown}개 표시)</translation>
    </message>
    <message>
        <source>{count} mistake(s), most confident first</source>
        <translation>오답 {count}개, 확신도 높은 순</translation>
    </message>
    <message>
        <source>{true} classified correctly: {count} image(s), most confident first</source>
        <translation>{true} 올바르게 분류: 이미지 {count}개, 확신도 높은 순</translation>
    </message>
    <message>
        <source>{true} predicted as {predicted}: {count} image(s), most confident first</source>
        <translation>{true}을(를) {predicted}(으)로 예측: 이미지 {count}개, 확신도 높은 순</translation>
    </message>
</context>
<context>
    <name>RunList</name>
    <message>
        <source>completed</source>
        <extracomment>the Status column&apos;s words (translated when shown; the colours and tests use the keys)</extracomment>
        <translation>완료</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>정지됨</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>중단됨</translation>
    </message>
    <message>
        <source>running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>일시 정지됨</translation>
    </message>
    <message>
        <source>Resume</source>
        <extracomment>the fixed columns; one more follows for each setting that differs between the listed runs the selected run folders changed (overlay their curves) resume this run folder fork from this run folder (the page asks which epoch) compare these run folders side by side</extracomment>
        <translation>재개</translation>
    </message>
    <message>
        <source>Continue the selected interrupted or stopped run from its last checkpoint.</source>
        <translation>중단되거나 중지된 선택한 실행을 마지막 체크포인트부터 이어서 학습합니다.</translation>
    </message>
    <message>
        <source>Fork from checkpoint…</source>
        <translation>체크포인트에서 분기…</translation>
    </message>
    <message>
        <source>Start a new run from a saved epoch of the selected run, with changed settings.</source>
        <translation>선택한 실행의 저장된 에포크에서 설정을 바꿔 새 실행을 시작합니다.</translation>
    </message>
    <message>
        <source>Compare…</source>
        <translation>비교…</translation>
    </message>
    <message>
        <source>Compare the selected runs side by side: their differing settings, curves and confusion matrices (select two or more)</source>
        <translation>선택한 실행들을 나란히 비교합니다: 서로 다른 설정, 곡선, 혼동 행렬 (두 개 이상 선택)</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행 기록</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Best val</source>
        <translation>최고 검증</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>테스트</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시간</translation>
    </message>
    <message>
        <source>test accuracy {accuracy}</source>
        <translation>테스트 정확도 {accuracy}</translation>
    </message>
    <message>
        <source>Run note: {note}</source>
        <translation>실행 메모: {note}</translation>
    </message>
    <message>
        <source>Cannot rename the run</source>
        <translation>실행 이름을 바꿀 수 없습니다</translation>
    </message>
    <message>
        <source>Cannot save the note</source>
        <translation>메모를 저장할 수 없습니다</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>이름 바꾸기</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>메모…</translation>
    </message>
    <message>
        <source>Run note</source>
        <translation>실행 메모</translation>
    </message>
    <message>
        <source>A note for this run:</source>
        <translation>이 실행에 대한 메모:</translation>
    </message>
</context>
<context>
    <name>RunSettingsForm</name>
    <message>
        <source>none</source>
        <extracomment>a change was refused (the message says why)</extracomment>
        <translation>없음</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>사용</translation>
    </message>
    <message>
        <source>patience </source>
        <translation>인내 </translation>
    </message>
    <message>
        <source>auto</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>에포크</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>배치 크기</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>옵티마이저</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>가중치 감쇠</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>모멘텀</translation>
    </message>
    <message>
        <source>Scheduler</source>
        <translation>스케줄러</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>조기 종료</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>장치</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>데이터 증강</translation>
    </message>
    <message>
        <source>How many passes over the training set.</source>
        <translation>학습 세트 전체를 몇 번 반복해서 학습할지 정합니다.</translation>
    </message>
    <message>
        <source>Images per optimisation step; larger is faster per image but needs more memory.</source>
        <translation>최적화 한 단계에 쓰는 이미지 수입니다. 크면 이미지당 더 빠르지만 메모리가 더 필요합니다.</translation>
    </message>
    <message>
        <source>Step size of the optimizer. Arrows move along 1-2-5 (0.001, 0.002, 0.005...).</source>
        <translation>옵티마이저가 한 번에 움직이는 크기입니다. 화살표는 1-2-5 순서로 움직입니다 (0.001, 0.002, 0.005...).</translation>
    </message>
    <message>
        <source>L2 penalty on the weights (AdamW: decoupled).</source>
        <translation>가중치에 주는 L2 페널티입니다 (AdamW: 분리 방식).</translation>
    </message>
    <message>
        <source>SGD momentum (only for SGD).</source>
        <translation>SGD 모멘텀 (SGD에서만 씁니다).</translation>
    </message>
    <message>
        <source>How the learning rate changes during the run.</source>
        <translation>학습하는 동안 학습률이 어떻게 바뀌는지 정합니다.</translation>
    </message>
    <message>
        <source>Stop when the monitored metric has not improved for `patience` epochs.</source>
        <translation>지켜보는 지표가 인내 횟수만큼의 에포크 동안 나아지지 않으면 학습을 멈춥니다.</translation>
    </message>
    <message>
        <source>auto picks CUDA, then Apple MPS, then the CPU.</source>
        <translation>자동은 CUDA를 먼저, 그다음 MPS(애플), 그다음 CPU를 고릅니다.</translation>
    </message>
    <message>
        <source>Same seed and settings on the CPU: the same run, number for number.</source>
        <translation>CPU에서 시드와 설정이 같으면 숫자 하나까지 똑같은 실행이 됩니다.</translation>
    </message>
    <message>
        <source>Random crops, flips, rotations... applied to training batches.</source>
        <translation>무작위 자르기, 뒤집기, 회전 등을 학습 배치에 적용합니다.</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>스케줄</translation>
    </message>
    <message>
        <source>light</source>
        <translation>약하게</translation>
    </message>
    <message>
        <source>standard</source>
        <translation>보통</translation>
    </message>
    <message>
        <source>strong</source>
        <translation>강하게</translation>
    </message>
    <message>
        <source>custom</source>
        <translation>사용자 지정</translation>
    </message>
</context>
<context>
    <name>ScaleDialog</name>
    <message>
        <source>Scale network</source>
        <translation>네트워크 스케일링</translation>
    </message>
    <message>
        <source>Compound scaling (EfficientNet) grows a network in three directions at once: more channels (width), more MBConv blocks per stage (depth) and larger images (resolution). The variants B1-B7 take B0 as the baseline.</source>
        <translation>복합 스케일링(EfficientNet)은 네트워크를 세 방향으로 한꺼번에 키웁니다: 더 많은 채널(너비), 단계마다 더 많은 MBConv 블록(깊이), 더 큰 이미지(해상도). 변형 B1-B7은 B0을 기준으로 합니다.</translation>
    </message>
    <message>
        <source>Custom multipliers</source>
        <translation>직접 정한 배율</translation>
    </message>
    <message>
        <source>EfficientNet-{0}: width {1:g}, depth {2:g}, {3}x{3}</source>
        <translation>EfficientNet-{0}: 너비 {1:g}, 깊이 {2:g}, {3}x{3}</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>변형</translation>
    </message>
    <message>
        <source>channels of every convolution x width, rounded to a multiple of 8</source>
        <translation>모든 컨볼루션의 채널 x 너비, 8의 배수로 반올림</translation>
    </message>
    <message>
        <source>MBConv blocks per stage x depth, rounded up</source>
        <translation>단계별 MBConv 블록 수 x 깊이, 올림</translation>
    </message>
    <message>
        <source>input height and width x resolution</source>
        <translation>입력 높이와 너비 x 해상도</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>너비</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>깊이</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>해상도</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>이전</translation>
    </message>
    <message>
        <source>After</source>
        <translation>이후</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>MACs per image</source>
        <translation>이미지당 MAC</translation>
    </message>
    <message>
        <source>Input size</source>
        <translation>입력 크기</translation>
    </message>
    <message>
        <source>MBConv blocks</source>
        <translation>MBConv 블록</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>스케일링</translation>
    </message>
    <message>
        <source>{0}: {1:.2f}x the parameters, {2:.2f}x the MACs. One undo step reverts it.</source>
        <translation>{0}: 파라미터 {1:.2f}배, MAC {2:.2f}배. 실행 취소 한 번으로 되돌립니다.</translation>
    </message>
</context>
<context>
    <name>ShapeTable</name>
    <message>
        <source>Summary unavailable: {error}</source>
        <translation>요약을 만들 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Computing the parameter summary (loading PyTorch)…</source>
        <translation>파라미터 요약을 계산하는 중 (PyTorch 불러오는 중)…</translation>
    </message>
    <message>
        <source>Input {shape} → layer {layer} is invalid: the totals appear once it is fixed.</source>
        <translation>입력 {shape} → 레이어 {layer}이(가) 잘못되었습니다: 고치면 합계가 나타납니다.</translation>
    </message>
    <message>
        <source>Input {input} → output {output}  ·  {total} parameters ({trainable} trainable)  ·  {size} MB  ·  {macs} MACs</source>
        <translation>입력 {input} → 출력 {output}  ·  파라미터 {total}개 (학습 {trainable}개)  ·  {size} MB  ·  {macs} MACs</translation>
    </message>
    <message>
        <source>Input {input} → output {output}  ·  {total} parameters ({trainable} trainable)  ·  {size} MB</source>
        <translation>입력 {input} → 출력 {output}  ·  파라미터 {total}개 (학습 {trainable}개)  ·  {size} MB</translation>
    </message>
    <message>
        <source>without the 1x1 reductions, branches 2 and 3 would have {without} parameters instead of {with_red}</source>
        <translation>1x1 축소가 없으면 분기 2와 3의 파라미터는 {with_red}개가 아니라 {without}개가 됩니다</translation>
    </message>
    <message>
        <source>Total parameters: {n}</source>
        <translation>전체 파라미터: {n}</translation>
    </message>
    <message>
        <source>Trainable parameters: {n}</source>
        <translation>학습되는 파라미터: {n}</translation>
    </message>
    <message>
        <source>Size: {mb} MB (float32)</source>
        <translation>크기: {mb} MB (float32)</translation>
    </message>
    <message>
        <source>MACs per image: {macs}</source>
        <translation>이미지당 MACs: {macs}</translation>
    </message>
</context>
<context>
    <name>ShapeTableModel</name>
    <message>
        <source>Layer</source>
        <translation>레이어</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>입력</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <source>{layer} (frozen)</source>
        <translation>{layer} (고정)</translation>
    </message>
    <message>
        <source>Frozen in the first epoch: its pretrained weights do not change</source>
        <translation>첫 에포크에는 고정: 사전 학습된 가중치가 바뀌지 않습니다</translation>
    </message>
</context>
<context>
    <name>ShiftPanel</name>
    <message>
        <source>Evaluate on shifted images</source>
        <translation>이동한 이미지로 평가</translation>
    </message>
    <message>
        <source>A network trained on centred images may fail when the object moves; filters that slide over the whole image keep finding it. Pick two runs (say a Flatten + Linear network and a CNN), evaluate, and move the shift slider.</source>
        <translation>가운데에 놓인 이미지로 학습한 네트워크는 물체가 움직이면 틀릴 수 있지만, 이미지 전체를 훑는 필터는 계속 찾아냅니다. 실행 기록 두 개(예: Flatten + Linear 네트워크와 CNN)를 고르고 평가한 뒤 이동 슬라이더를 움직여 보세요.</translation>
    </message>
    <message>
        <source>Run A</source>
        <translation>실행 A</translation>
    </message>
    <message>
        <source>Run B</source>
        <translation>실행 B</translation>
    </message>
    <message>
        <source>shift (pixels, + = right)</source>
        <translation>이동 (픽셀, + = 오른쪽)</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>이동</translation>
    </message>
    <message>
        <source>Evaluating on shifted validation images…</source>
        <translation>이동한 검증 이미지로 평가하는 중…</translation>
    </message>
    <message>
        <source>Accuracy on {n} validation images, each moved left (-) or right (+).</source>
        <translation>검증 이미지 {n}개를 왼쪽(-) 또는 오른쪽(+)으로 옮겼을 때의 정확도.</translation>
    </message>
    <message>
        <source>{s:+d} px: </source>
        <translation>{s:+d} 픽셀: </translation>
    </message>
    <message>
        <source>(other validation images)</source>
        <translation>(다른 검증 이미지)</translation>
    </message>
    <message>
        <source>true: {c}</source>
        <translation>정답: {c}</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>키보드 단축키</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>키</translation>
    </message>
    <message>
        <source>Does</source>
        <translation>기능</translation>
    </message>
</context>
<context>
    <name>SizeEditor</name>
    <message>
        <source>square</source>
        <translation>정사각</translation>
    </message>
    <message>
        <source>Same value for height and width; switch off to set them separately</source>
        <translation>높이와 너비에 같은 값을 씁니다. 끄면 따로 설정할 수 있습니다</translation>
    </message>
</context>
<context>
    <name>SourcePicker</name>
    <message>
        <source>all images</source>
        <translation>모든 이미지</translation>
    </message>
    <message>
        <source> per class</source>
        <translation> (클래스당)</translation>
    </message>
    <message>
        <source>Use at most this many images of each class in each split: a quick trial on a big dataset. 0 = all images.</source>
        <translation>각 분할에서 클래스마다 최대 이만큼의 이미지만 씁니다. 큰 데이터셋으로 빠르게 시험해 볼 때 씁니다. 0 = 모든 이미지.</translation>
    </message>
    <message>
        <source>Use at most</source>
        <translation>최대 사용</translation>
    </message>
    <message>
        <source>Use the test/ folder</source>
        <translation>test/ 폴더 사용</translation>
    </message>
    <message>
        <source>Use the official test split</source>
        <translation>공식 테스트 분할 사용</translation>
    </message>
    <message>
        <source>Built-in sample (Fashion-MNIST)</source>
        <translation>내장 샘플 (Fashion-MNIST)</translation>
    </message>
    <message>
        <source>MNIST digits</source>
        <translation>MNIST 손글씨 숫자</translation>
    </message>
    <message>
        <source>My image folder…</source>
        <translation>내 이미지 폴더…</translation>
    </message>
    <message>
        <source>1 — greyscale</source>
        <translation>1 — 흑백</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>데이터 출처</translation>
    </message>
    <message>
        <source>the embedded sample, a torchvision dataset, or your own folder with one sub-folder of images per class</source>
        <translation>내장 샘플, torchvision 데이터셋, 또는 클래스마다 하위 폴더가 하나씩 있는 내 이미지 폴더</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>데이터셋</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>폴더</translation>
    </message>
    <message>
        <source>Auto-download when training</source>
        <translation>학습할 때 자동 다운로드</translation>
    </message>
    <message>
        <source>Fetch the dataset when training starts and it is missing</source>
        <translation>학습을 시작할 때 데이터셋이 없으면 내려받습니다</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>다운로드</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Split and input shape</source>
        <translation>분할과 입력 크기</translation>
    </message>
    <message>
        <source>Hold out a fraction</source>
        <translation>일부를 떼어 두기</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>검증</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>채널</translation>
    </message>
    <message>
        <source>Size (H × W)</source>
        <translation>크기 (H × W)</translation>
    </message>
    <message>
        <source>Image folder</source>
        <translation>이미지 폴더</translation>
    </message>
    <message>
        <source>Dataset root</source>
        <translation>데이터셋 루트</translation>
    </message>
    <message>
        <source>The folder&apos;s val/ sub-folder is the validation split, so no fraction is held out.</source>
        <translation>폴더의 val/ 하위 폴더가 검증 분할이므로 비율로 떼어 두지 않습니다.</translation>
    </message>
    <message>
        <source>No val/ sub-folder: the fraction is held out of train/ (per class); test/ is evaluated once, at the end.</source>
        <translation>val/ 하위 폴더가 없습니다. train/에서 클래스마다 비율만큼 떼어 검증에 쓰고, test/는 마지막에 한 번 평가합니다.</translation>
    </message>
    <message>
        <source>The folder has a val/ sub-folder: its images are the validation split.</source>
        <translation>폴더에 val/ 하위 폴더가 있습니다. 그 이미지가 검증 분할입니다.</translation>
    </message>
    <message>
        <source>The fraction of each class&apos;s training images held out for validation.</source>
        <translation>검증용으로 떼어 두는 클래스별 학습 이미지의 비율입니다.</translation>
    </message>
    <message>
        <source>Use {source}</source>
        <translation>{source} 사용</translation>
    </message>
    <message>
        <source>Use image folder</source>
        <translation>이미지 폴더 사용</translation>
    </message>
    <message>
        <source>Choose the image folder (one sub-folder per class)</source>
        <translation>이미지 폴더 선택 (클래스마다 하위 폴더 하나)</translation>
    </message>
    <message>
        <source>Choose the dataset root</source>
        <translation>데이터셋 루트 폴더 선택</translation>
    </message>
    <message>
        <source>Downloading {source} into {folder}…</source>
        <translation>{source}을(를) {folder}에 내려받는 중…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Downloaded and unpacked.</source>
        <translation>다운로드하고 압축을 풀었습니다.</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>Download cancelled; no partial file was kept.</source>
        <translation>다운로드가 취소되었습니다. 받다 만 파일은 남기지 않았습니다.</translation>
    </message>
    <message>
        <source>Hover here for the files to place by hand.</source>
        <translation>직접 넣어야 할 파일은 여기에 마우스를 올려 확인하세요.</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Sample (offline)</source>
        <translation>샘플 (오프라인)</translation>
    </message>
    <message>
        <source>MNIST digits</source>
        <translation>MNIST 손글씨 숫자</translation>
    </message>
    <message>
        <source>CIFAR-10 objects</source>
        <translation>CIFAR-10 사물</translation>
    </message>
    <message>
        <source>VGG-16 from blocks</source>
        <translation>블록으로 만든 VGG-16</translation>
    </message>
    <message>
        <source>ResNet-18 transfer learning</source>
        <translation>ResNet-18 전이 학습</translation>
    </message>
    <message>
        <source>Your own photos</source>
        <translation>내 사진</translation>
    </message>
    <message>
        <source>Empty project</source>
        <translation>빈 프로젝트</translation>
    </message>
    <message>
        <source>your image folder</source>
        <translation>내 이미지 폴더</translation>
    </message>
    <message>
        <source>built-in sample</source>
        <translation>내장 샘플</translation>
    </message>
    <message>
        <source>pretrained %1 · %2</source>
        <translation>사전 학습된 %1 · %2</translation>
    </message>
    <message>
        <source>%1 layers · %2 parameters · %3</source>
        <translation>레이어 %1개 · 파라미터 %2개 · %3</translation>
    </message>
    <message>
        <source>Design a convolutional network, watch it train, see what it learned. Pick a starting point:</source>
        <translation>컨볼루션 신경망을 설계하고, 학습하는 모습을 지켜보고, 무엇을 배웠는지 확인하세요. 시작점을 고르세요:</translation>
    </message>
    <message>
        <source>Open a project…</source>
        <translation>프로젝트 열기…</translation>
    </message>
    <message>
        <source>All templates…</source>
        <translation>모든 템플릿…</translation>
    </message>
    <message>
        <source>Recent projects</source>
        <translation>최근 프로젝트</translation>
    </message>
</context>
<context>
    <name>SweepDialog</name>
    <message>
        <source>New sweep</source>
        <translation>새 스윕</translation>
    </message>
    <message>
        <source>Learning rate from</source>
        <translation>학습률 범위</translation>
    </message>
    <message>
        <source>to</source>
        <translation>~</translation>
    </message>
    <message>
        <source>(log scale)</source>
        <translation>(로그 척도)</translation>
    </message>
    <message>
        <source>Batch size, one of</source>
        <translation>배치 크기 후보</translation>
    </message>
    <message>
        <source>Optimizer, one of</source>
        <translation>옵티마이저 후보</translation>
    </message>
    <message>
        <source>Label smoothing from 0 to</source>
        <translation>레이블 스무딩 0부터</translation>
    </message>
    <message>
        <source>More settings, one KEY=VALUES a line, e.g.
model.layers[0].out_channels=8:64:int</source>
        <translation>다른 설정, 한 줄에 KEY=VALUES 하나씩, 예:
model.layers[0].out_channels=8:64:int</translation>
    </message>
    <message>
        <source>TPE (learns from earlier trials)</source>
        <translation>TPE (앞선 시도에서 배움)</translation>
    </message>
    <message>
        <source>random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <source>grid (choices only)</source>
        <translation>격자 (후보 목록만)</translation>
    </message>
    <message>
        <source>Stop hopeless trials early (median pruner)</source>
        <translation>가망 없는 시도는 일찍 멈춤 (중앙값 가지치기)</translation>
    </message>
    <message>
        <source>Other settings</source>
        <translation>다른 설정</translation>
    </message>
    <message>
        <source>Trials</source>
        <translation>시도 수</translation>
    </message>
    <message>
        <source>Epochs per trial</source>
        <translation>시도당 에포크</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>탐색 방법</translation>
    </message>
    <message>
        <source>Trial</source>
        <translation>시도</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Each trial is a run of this project in its Runs list.</source>
        <translation>각 시도는 이 프로젝트의 실행 목록에 실행으로 남습니다.</translation>
    </message>
    <message>
        <source>Start sweep</source>
        <translation>스윕 시작</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Choose at least one setting to search.</source>
        <translation>탐색할 설정을 하나 이상 고르세요.</translation>
    </message>
    <message>
        <source>Running %1 trials…</source>
        <translation>시도 %1개를 실행하는 중…</translation>
    </message>
    <message>
        <source>Stopping after the current epoch…</source>
        <translation>현재 에포크가 끝나면 멈춥니다…</translation>
    </message>
    <message>
        <source>%1 trials in the study, %2 complete.</source>
        <translation>스터디의 시도 %1개 중 %2개 완료.</translation>
    </message>
    <message>
        <source>Best: trial %1, accuracy %2.</source>
        <translation>최고: 시도 %1, 정확도 %2.</translation>
    </message>
    <message>
        <source>What mattered most: %1.</source>
        <translation>가장 중요했던 설정: %1.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>low</source>
        <translation>낮음</translation>
    </message>
    <message>
        <source>high</source>
        <translation>높음</translation>
    </message>
</context>
<context>
    <name>TemplateCard</name>
    <message>
        <source>Start from an empty stack and add layers from the palette.</source>
        <translation>빈 스택에서 시작해 팔레트에서 레이어를 추가하세요.</translation>
    </message>
    <message>
        <source>0 layers · sample data</source>
        <translation>레이어 0개 · 샘플 데이터</translation>
    </message>
    <message>
        <source>Start a new project: {title}</source>
        <translation>새 프로젝트 시작: {title}</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <source>New project from a template</source>
        <translation>템플릿으로 새 프로젝트</translation>
    </message>
</context>
<context>
    <name>TopKBars</name>
    <message>
        <source>Open or drop images to classify them.</source>
        <translation>분류할 이미지를 열거나 끌어다 놓으세요.</translation>
    </message>
</context>
<context>
    <name>TrainJobs</name>
    <message>
        <source>{folder} has no readable project.json; it cannot be resumed</source>
        <extracomment>started jobs, kept referenced until their thread ends (see :func:`track`) what a run imports on its way to the first batch (torch._dynamo: the first optimizer step)</extracomment>
        <translation>{folder}에 읽을 수 있는 project.json이 없어 이어서 학습할 수 없습니다</translation>
    </message>
    <message>
        <source>{folder} has no checkpoint yet (checkpoints/last.pt); train it again instead</source>
        <translation>{folder}에 아직 체크포인트(checkpoints/last.pt)가 없습니다. 대신 처음부터 다시 학습하세요</translation>
    </message>
    <message>
        <source>{folder} has no readable project.json; it cannot be forked</source>
        <translation>{folder}에 읽을 수 있는 project.json이 없어 분기할 수 없습니다</translation>
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <source>Find learning rate…</source>
        <translation>학습률 찾기…</translation>
    </message>
    <message>
        <source>Try rates from tiny to large on a copy of the network and suggest one (the project is not changed until you say so)</source>
        <translation>네트워크 복사본으로 아주 작은 학습률부터 큰 학습률까지 시험해 보고 하나를 제안합니다 (따로 적용하기 전에는 프로젝트가 바뀌지 않습니다)</translation>
    </message>
    <message>
        <source>New sweep…</source>
        <translation>새 스윕…</translation>
    </message>
    <message>
        <source>Search learning rate, batch size and other settings with Optuna; each trial is a run of this project</source>
        <translation>Optuna로 학습률, 배치 크기 등 설정을 탐색합니다. 각 시도는 이 프로젝트의 실행이 됩니다</translation>
    </message>
    <message>
        <source>Run settings</source>
        <extracomment>a run ended: its folder and end event (the window&apos;s trainingFinished carries the folder)</extracomment>
        <translation>학습 설정</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>Train the current project in a new run (F5)</source>
        <translation>현재 프로젝트를 새 실행으로 학습합니다 (F5)</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>Hold training after the current batch; click again to continue</source>
        <translation>현재 배치가 끝나면 학습을 멈춰 둡니다. 다시 누르면 계속합니다</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Stop after the current batch; a checkpoint is written</source>
        <translation>현재 배치가 끝나면 멈춥니다. 체크포인트가 저장됩니다</translation>
    </message>
    <message>
        <source>Run on a cluster…</source>
        <translation>클러스터에서 실행…</translation>
    </message>
    <message>
        <source>Write this project with the torchrun command and a SLURM script, to train it on several GPUs or machines</source>
        <translation>이 프로젝트를 torchrun 명령과 SLURM 스크립트와 함께 저장해 여러 GPU나 여러 컴퓨터에서 학습합니다</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>실행 목록</translation>
    </message>
    <message>
        <source>The training log appears here.</source>
        <extracomment>the running job&apos;s project name, and whether it belongs to the open project</extracomment>
        <translation>학습 로그가 여기에 나타납니다.</translation>
    </message>
    <message>
        <source>Training “{name}” in {folder} (epoch {done} of {epochs} done)</source>
        <translation>“{name}”을(를) {folder}에서 학습하는 중 (에포크 {epochs}개 중 {done}개 완료)</translation>
    </message>
    <message>
        <source>“{name}” (another project) is still training in the background: epoch {epoch} of {epochs} done. Open that project to watch it; Stop stops it.</source>
        <translation>“{name}”(다른 프로젝트)이(가) 아직 백그라운드에서 학습 중입니다: 에포크 {epochs}개 중 {epoch}개 완료. 지켜보려면 그 프로젝트를 여세요. 중지를 누르면 멈춥니다.</translation>
    </message>
    <message>
        <source>“{name}” (another project) is still training in the background. Open that project to watch it; Stop stops it.</source>
        <translation>“{name}”(다른 프로젝트)이(가) 아직 백그라운드에서 학습 중입니다. 지켜보려면 그 프로젝트를 여세요. 중지를 누르면 멈춥니다.</translation>
    </message>
    <message>
        <source>Cannot train: {error}. Fix it on the Design page.</source>
        <translation>학습할 수 없습니다: {error}. 설계 페이지에서 고치세요.</translation>
    </message>
    <message>
        <source>Cannot train: {problem} Fix it on the Design page.</source>
        <translation>학습할 수 없습니다: {problem} 설계 페이지에서 고치세요.</translation>
    </message>
    <message>
        <source>Training failed: the ImageNet weights of {arch} could not be downloaded (no network?). On a computer with a network, download {name} from {url} and copy it into the folder {folder}; or click Choose weights file… if you already have it; or choose “No weights (train from scratch)” on the Design page.</source>
        <translation>학습 실패: {arch}의 ImageNet 가중치를 내려받지 못했습니다(네트워크 없음?). 네트워크가 되는 컴퓨터에서 {url}의 {name}을(를) 받아 {folder} 폴더에 복사하세요. 이미 가지고 있다면 ‘가중치 파일 선택…’을 누르거나, 설계 페이지에서 “No weights (train from scratch)”를 고르세요.</translation>
    </message>
    <message>
        <source>Choose pretrained weights</source>
        <translation>사전 학습 가중치 선택</translation>
    </message>
    <message>
        <source>PyTorch weights (*.pth *.pt);;All files (*)</source>
        <translation>PyTorch 가중치 (*.pth *.pt);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Cannot create the run folder under {folder}: {error}</source>
        <translation>{folder} 아래에 실행 폴더를 만들 수 없습니다: {error}</translation>
    </message>
    <message>
        <source>Training “{name}” in {folder}</source>
        <translation>“{name}”을(를) {folder}에서 학습합니다</translation>
    </message>
    <message>
        <source>Resuming {run} after epoch {epoch}</source>
        <translation>{run}을(를) 에포크 {epoch} 다음부터 이어서 학습합니다</translation>
    </message>
    <message>
        <source>Forking {run} at epoch {epoch} into {new}</source>
        <translation>{run}의 에포크 {epoch}에서 {new}(으)로 분기합니다</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>재개</translation>
    </message>
    <message>
        <source>Paused after the current batch.</source>
        <translation>현재 배치가 끝난 뒤 일시 정지했습니다.</translation>
    </message>
    <message>
        <source>Resumed.</source>
        <translation>다시 시작했습니다.</translation>
    </message>
    <message>
        <source>Stopping “{name}” after the current batch…</source>
        <translation>현재 배치가 끝나면 “{name}”을(를) 중지합니다…</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>현재 배치가 끝나면 멈춥니다…</translation>
    </message>
    <message>
        <source>Training of “{name}” ended: {status}</source>
        <translation>“{name}” 학습이 끝났습니다: {status}</translation>
    </message>
    <message>
        <source>the run failed; see the log</source>
        <translation>실행이 실패했습니다. 로그를 보세요</translation>
    </message>
    <message>
        <source>Failed: {message}</source>
        <translation>실패: {message}</translation>
    </message>
    <message>
        <source>Training failed: {message}</source>
        <translation>학습 실패: {message}</translation>
    </message>
    <message>
        <source>Choose weights file…</source>
        <translation>가중치 파일 선택…</translation>
    </message>
    <message>
        <source>Training stopped; checkpoint in {folder}</source>
        <translation>학습을 중지했습니다. 체크포인트는 {folder}에 있습니다</translation>
    </message>
    <message>
        <source>Training finished: {summary}</source>
        <translation>학습 완료: {summary}</translation>
    </message>
    <message>
        <source>Evaluate →</source>
        <translation>평가 →</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>학습 중입니다</translation>
    </message>
    <message>
        <source>A training run is in progress. Stop it and close? A checkpoint is written, and the run can be resumed later from the Train page.</source>
        <translation>학습이 진행 중입니다. 멈추고 닫을까요? 체크포인트가 저장되며, 나중에 학습 페이지에서 이어서 학습할 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>손실</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>정확도</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>정확도 (%)</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>배치</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>평활화</translation>
    </message>
    <message>
        <source>train</source>
        <translation>학습</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>검증</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>학습률</translation>
    </message>
    <message>
        <source>{run} val</source>
        <translation>{run} 검증</translation>
    </message>
    <message>
        <source>{run} train</source>
        <translation>{run} 학습</translation>
    </message>
    <message>
        <source>{run} lr</source>
        <translation>{run} 학습률</translation>
    </message>
    <message>
        <source>selected runs (┅ val, ┈ train)</source>
        <translation>선택한 실행 (┅ 검증, ┈ 학습)</translation>
    </message>
</context>
<context>
    <name>TrainingStatus</name>
    <message>
        <source>Ready</source>
        <extracomment>what the status read-out says for each state of a run (translated when shown)</extracomment>
        <translation>준비</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>학습 중</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>일시 정지됨</translation>
    </message>
    <message>
        <source>Validating</source>
        <translation>검증 중</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>멈추는 중…</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>정지됨</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>중단됨</translation>
    </message>
</context>
<context>
    <name>_BlockModel</name>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;{help}&lt;br&gt;&lt;i&gt;Double-click, Enter or drag into the stack to add it.&lt;/i&gt;</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;&lt;br&gt;{help}&lt;br&gt;&lt;i&gt;더블클릭, Enter 또는 스택으로 끌어 놓아 추가합니다.&lt;/i&gt;</translation>
    </message>
</context>
</TS>
