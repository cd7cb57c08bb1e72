import { lazy, type ReactNode, Suspense } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { AuthProvider } from './auth/auth-context.js';
import { Layout } from './components/layout.js';
import { ToastProvider } from './components/toasts.js';
import { useWorkspace, WorkspaceProvider } from './components/workspace.js';
import { FlagsPage } from './pages/flags-page.js';
import { Restoring, SignInPage } from './pages/sign-in-page.js';

// Heavier pages load on demand: charts, the evaluator, the diff view.
const FlagPage = lazy(() => import('./pages/flag/flag-page.js'));
const PreviewPage = lazy(() => import('./pages/preview-page.js'));
const ExperimentsPage = lazy(() => import('./pages/experiments/experiments-page.js'));
const ExperimentPage = lazy(() => import('./pages/experiments/experiment-page.js'));
const SegmentsPage = lazy(() => import('./pages/segments/segments-page.js'));
const SegmentPage = lazy(() => import('./pages/segments/segment-page.js'));
const WeightTablesPage = lazy(() => import('./pages/subject-weights/weight-tables-page.js'));
const WeightTablePage = lazy(() => import('./pages/subject-weights/weight-table-page.js'));
const AuditPage = lazy(() => import('./pages/audit-page.js'));
const KeysPage = lazy(() => import('./pages/keys-page.js'));
const ProjectsPage = lazy(() => import('./pages/projects-page.js'));

function Loading() {
  return (
    <p className="muted" aria-busy="true">
      Loading…
    </p>
  );
}

function Home() {
  const ws = useWorkspace();
  if (ws.project === undefined) {
    return ws.projectsLoaded ? <Redirect to="/projects" /> : <Loading />;
  }
  return <Redirect to={`/projects/${encodeURIComponent(ws.project)}/flags`} replace />;
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no page at this address.</p>
    </section>
  );
}

/** The project in the address (`/projects/:project/…`), if any. */
function projectInPath(location: string): string | undefined {
  const match = /^\/projects\/([^/]+)/.exec(location);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

function SignedIn({ children }: { children: ReactNode }) {
  const [location] = useLocation();
  return (
    <WorkspaceProvider project={projectInPath(location)}>
      <Layout>
        <Suspense fallback={<Loading />}>{children}</Suspense>
      </Layout>
    </WorkspaceProvider>
  );
}

export function App() {
  return (
    <ToastProvider>
      <AuthProvider
        signIn={(done, notice) => <SignInPage onSignedIn={done} notice={notice} />}
        restoring={(session, done) => <Restoring session={session} done={done} />}
      >
        <SignedIn>
          <Switch>
            <Route path="/" component={Home} />
            <Route path="/projects" component={ProjectsPage} />
            <Route path="/projects/:project/flags" component={FlagsPage} />
            <Route path="/projects/:project/flags/:flag/:tab?" component={FlagPage} />
            <Route path="/projects/:project/segments" component={SegmentsPage} />
            <Route path="/projects/:project/segments/:segment" component={SegmentPage} />
            <Route path="/projects/:project/subject-weights" component={WeightTablesPage} />
            <Route path="/projects/:project/subject-weights/:table" component={WeightTablePage} />
            <Route path="/projects/:project/experiments" component={ExperimentsPage} />
            <Route path="/projects/:project/experiments/:environment/:flag" component={ExperimentPage} />
            <Route path="/projects/:project/preview" component={PreviewPage} />
            <Route path="/projects/:project">
              {(params) => <Redirect to={`/projects/${encodeURIComponent(params.project)}/flags`} replace />}
            </Route>
            <Route path="/audit" component={AuditPage} />
            <Route path="/keys" component={KeysPage} />
            <Route component={NotFound} />
          </Switch>
        </SignedIn>
      </AuthProvider>
    </ToastProvider>
  );
}
