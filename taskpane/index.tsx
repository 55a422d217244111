// Mounts the task pane once Office is ready: <App/> inside Fluent's provider, with the Excel/engine actions.
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { createRoot } from "react-dom/client";
import { createPaneActions } from "./actions";
import { App } from "./components/App";

function mount(): void {
  const container = document.getElementById("container");
  if (!container) return;
  createRoot(container).render(
    <FluentProvider theme={webLightTheme}>
      <App actions={createPaneActions()} />
    </FluentProvider>,
  );
}

void Office.onReady((info) => {
  if (info.host === Office.HostType.Excel) mount();
});
