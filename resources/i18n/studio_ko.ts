<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
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
    <name>ConvPanel</name>
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
    <name>DataPage</name>
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
</context>
<context>
    <name>DesignerPage</name>
    <message>
        <source>Scale network…</source>
        <translation>네트워크 스케일링…</translation>
    </message>
    <message>
        <source>Compound scaling of an MBConv network: width, depth and resolution together (EfficientNet B0-B7)</source>
        <translation>MBConv 네트워크의 복합 스케일링: 너비, 깊이, 해상도를 함께 (EfficientNet B0-B7)</translation>
    </message>
    <message>
        <source>Choose weights file…</source>
        <translation>가중치 파일 선택…</translation>
    </message>
    <message>
        <source>Scaling rewrites a stack of blocks; switch to “Stack of blocks” first</source>
        <translation>스케일링은 블록 스택을 다시 씁니다; 먼저 “Stack of blocks”로 바꾸세요</translation>
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
    <name>EvaluatePage</name>
    <message>
        <source>Report…</source>
        <translation>보고서…</translation>
    </message>
    <message>
        <source>Write one self-contained HTML report of the chosen run: network, data, settings, curves, confusion matrix, mistakes</source>
        <translation>선택한 실행의 HTML 보고서 한 파일을 씁니다: 네트워크, 데이터, 설정, 곡선, 혼동 행렬, 틀린 예</translation>
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
    <name>ExportDialog</name>
    <message>
        <source>Show in folder</source>
        <translation>폴더에서 보기</translation>
    </message>
    <message>
        <source>Open the folder that holds the exported file</source>
        <translation>내보낸 파일이 있는 폴더를 엽니다</translation>
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
        <translation>아직 학습된 실행 기록이 없습니다: 프로젝트를 열어 학습시키면(학습 페이지) 첫 합성곱의 필터가 여기에 커널로 나타납니다.</translation>
    </message>
    <message>
        <source>Loading the run&apos;s filters…</source>
        <translation>실행 기록의 필터를 불러오는 중…</translation>
    </message>
    <message>
        <source>{name}: layer {layer} has {n} filters of {c}x{kh}x{kw} (padding {p}, stride {s}, dilation {d}); each makes one feature map of the image as the network sees it (normalised). These are the Explain tab&apos;s maps of this layer.</source>
        <translation>{name}: 레이어 {layer}에는 {c}x{kh}x{kw} 필터가 {n}개 있습니다 (패딩 {p}, 스트라이드 {s}, 팽창 {d}). 각 필터는 네트워크가 보는(정규화된) 이미지에서 특성 맵 하나를 만듭니다. 설명 탭에 나오는 이 레이어의 맵과 같습니다.</translation>
    </message>
    <message>
        <source>filter {i}</source>
        <translation>필터 {i}</translation>
    </message>
</context>
<context>
    <name>FineTuneControls</name>
    <message>
        <source>Without pretrained weights every layer must train: choose ImageNet weights or a .pth file to freeze the backbone.</source>
        <translation>사전 학습 가중치가 없으면 모든 층을 학습해야 합니다. 백본을 고정하려면 ImageNet 가중치나 .pth 파일을 고르세요.</translation>
    </message>
</context>
<context>
    <name>Help</name>
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
        <translation>합성곱</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>특성 맵</translation>
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
        <translation>왜 합성곱인가</translation>
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
        <translation>합성곱의 출력</translation>
    </message>
    <message>
        <source>feature map 1</source>
        <translation>특성 맵 1</translation>
    </message>
    <message>
        <source>the network&apos;s input (normalised)</source>
        <translation>네트워크의 입력 (정규화됨)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
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
        <source>{n} kernel(s) → {n} feature map(s) of {shape}: one filter, one feature map. Each map is the kernel&apos;s sums plus its bias{relu}.</source>
        <translation>커널 {n}개 → {shape} 특성 맵 {n}개: 필터 하나에 특성 맵 하나. 각 맵은 커널의 합에 편향을 더한 것입니다{relu}.</translation>
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
        <translation>합성곱 실습실: 내 이미지와 필터로 합성곱과 풀링을 한 스텝씩</translation>
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
    <name>PretrainedPanel</name>
    <message>
        <source>No pretrained weights: the backbone was unfrozen, every layer trains.</source>
        <translation>사전 학습 가중치 없음: 백본 고정을 풀었습니다. 모든 층을 학습합니다.</translation>
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
    <name>RunList</name>
    <message>
        <source>Compare…</source>
        <extracomment>the fixed columns; one more follows for each setting that differs between the listed runs the selected run folders changed (overlay their curves) resume this run folder fork from this run folder (the page asks which epoch) compare these run folders side by side</extracomment>
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
        <translation>모든 합성곱의 채널 x 너비, 8의 배수로 반올림</translation>
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
    <name>TrainPage</name>
    <message>
        <source>Find learning rate…</source>
        <extracomment>a run ended: its folder and end event (the window&apos;s trainingFinished carries the folder)</extracomment>
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
        <source>“{name}” (another project) is still training in the background{where}. Open that project to watch it; Stop stops it.</source>
        <extracomment>the running job&apos;s project name, and whether it belongs to the open project</extracomment>
        <translation>“{name}”(다른 프로젝트)이(가) 백그라운드에서 계속 학습 중입니다{where}. 지켜보려면 그 프로젝트를 여세요. 중지를 누르면 멈춥니다.</translation>
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
        <source>Stopping “{name}” after the current batch…</source>
        <translation>현재 배치가 끝나면 “{name}”을(를) 중지합니다…</translation>
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
        <source>Training finished: {summary}</source>
        <translation>학습 완료: {summary}</translation>
    </message>
    <message>
        <source>Evaluate →</source>
        <translation>평가 →</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>custom (typed)</source>
        <translation>직접 입력</translation>
    </message>
</context>
</TS>
