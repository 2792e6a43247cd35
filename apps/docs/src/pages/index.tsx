import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import Visualiser from '../components/Visualiser';

const TYPES = [
  ['standard', 'Standard convolution'],
  ['depthwise', 'Depthwise'],
  ['pointwise', 'Pointwise (1x1)'],
  ['depthwise-separable', 'Depthwise-separable'],
  ['group', 'Group'],
  ['dilated', 'Dilated (atrous)'],
  ['transposed', 'Transposed'],
] as const;

export default function Home() {
  return (
    <Layout title="convkit" description="The whole convolution family, live in your browser">
      <main className="container margin-vert--lg">
        <h1>convkit</h1>
        <p>
          The convolution family of deep learning (standard, depthwise, pointwise, separable, group, dilated and
          transposed, in 1-D, 2-D and 3-D) as PyTorch-exact TypeScript, with GPU kernels, and every type live on these
          pages: edit the code, move the sliders, watch the windows.
        </p>
        <p>
          <Link className="button button--primary" to="/docs/getting-started">
            Get started
          </Link>{' '}
          {TYPES.map(([slug, title]) => (
            <Link key={slug} className="button button--link" to={`/docs/types/${slug}`}>
              {title}
            </Link>
          ))}
        </p>
        <Visualiser id="home" initial={{ stride: 2, pads: [1, 1, 1, 1] }} />
      </main>
    </Layout>
  );
}
