# Results charts (QCustomPlot): the renderer shared with `quantdesk-cli plot`, and the pane.
list(APPEND QUANTDESK_UI_SOURCES
    charts/ChartRenderer.cpp charts/ChartRenderer.h
    charts/ChartPane.cpp charts/ChartPane.h
)
