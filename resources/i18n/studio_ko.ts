<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
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
    <name>HealthPanel</name>
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
        <source>Trains a copy of the network for up to 100 batches while the learning rate grows from 10⁻⁶ to 1, and marks where the loss falls fastest. The project and its runs are not changed.</source>
        <translation>네트워크의 복사본을 최대 100개 배치 동안 학습하면서 학습률을 10⁻⁶에서 1까지 키우고, 손실이 가장 빠르게 줄어드는 곳을 표시합니다. 프로젝트와 실행 기록은 바뀌지 않습니다.</translation>
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
</context>
</TS>
