import { useState } from 'react';
import { convParams } from '@convkit/core';
import { Select } from './controls';
import styles from './styles.module.css';

/** The four ways to connect channels, from every-to-every to one-to-one plus a 1x1 mix. */
type Kind = 'standard' | 'group' | 'depthwise' | 'separable';

const SLAB = 9;
const DEPTH = 6;

function groupColour(group: number, groups: number): string {
  return `hsl(${Math.round((group * 300) / Math.max(1, groups)) + 20}, 70%, 62%)`;
}

/** A stack of channel slabs drawn in oblique projection, each coloured by its group. */
function Stack({
  x,
  channels,
  groupOf,
  groups,
  label,
  height,
}: {
  x: number;
  channels: number;
  groupOf: (channel: number) => number;
  groups: number;
  label: string;
  height: number;
}) {
  return (
    <g>
      {Array.from({ length: channels }, (_, channel) => {
        const left = x + channel * SLAB * 0.55;
        const top = 20 + channel * SLAB * 0.35;
        return (
          <path
            key={channel}
            d={`M${left},${top + DEPTH} l${DEPTH},${-DEPTH} v${height} l${-DEPTH},${DEPTH} z`}
            fill={groupColour(groupOf(channel), groups)}
            stroke="#333"
            strokeWidth={0.6}
          />
        );
      })}
      <text x={x} y={height + 52} fontSize={11} fill="currentColor">
        {label}
      </text>
    </g>
  );
}

/**
 * Channels as blocks, in the spirit of Animated AI: the input's channel slabs, the filters (each as
 * deep as the channels it reads, coloured by its group) and the output. Standard, group, depthwise
 * and depthwise-separable side by side, with weight counts from core's `convParams`.
 */
export default function ChannelBlocks() {
  const [inChannels, setInChannels] = useState(6);
  const [groups, setGroups] = useState(3);
  const outChannels = inChannels;
  const divisors = Array.from({ length: inChannels }, (_, index) => index + 1).filter(
    (value) => inChannels % value === 0,
  );
  const usedGroups = divisors.includes(groups) ? groups : 1;
  const rows: { kind: Kind; groups: number; params: number; note: string }[] = [
    {
      kind: 'standard',
      groups: 1,
      params: convParams({ inChannels, outChannels, kernelSize: 3 }),
      note: 'every filter reads every input channel',
    },
    {
      kind: 'group',
      groups: usedGroups,
      params: convParams({ inChannels, outChannels, kernelSize: 3, groups: usedGroups }),
      note: `each filter reads the ${inChannels / usedGroups} channels of its group`,
    },
    {
      kind: 'depthwise',
      groups: inChannels,
      params: convParams({ kind: 'depthwise', inChannels, kernelSize: 3 }),
      note: 'each filter reads one channel',
    },
    {
      kind: 'separable',
      groups: inChannels,
      params: convParams({ kind: 'separable', inChannels, outChannels, kernelSize: 3 }),
      note: 'depthwise, then 1 × 1 filters that read every channel',
    },
  ];
  const height = 40;
  return (
    <div className={styles.tool} data-testid="channel-blocks">
      <div className={styles.controls}>
        <label className={styles.slider}>
          <span>
            channels <b data-testid="cb-channels">{inChannels}</b>
          </span>
          <input
            type="range"
            min={2}
            max={8}
            value={inChannels}
            data-testid="cb-in"
            onChange={(event) => setInChannels(Number(event.target.value))}
          />
        </label>
        <label className={styles.slider}>
          <span>groups (group row)</span>
          <Select
            value={usedGroups}
            options={divisors}
            testId="cb-groups"
            onChange={(text) => setGroups(Number(text))}
          />
        </label>
      </div>
      <div className={styles.scroll}>
        {rows.map((row) => {
          const perGroup = inChannels / row.groups;
          const filterDepth = row.kind === 'standard' ? inChannels : perGroup;
          const inputGroup = (channel: number) => Math.floor(channel / perGroup);
          const filterX = 130;
          const outputX =
            filterX +
            outChannels * (filterDepth * SLAB * 0.55 + 18) +
            30 +
            (row.kind === 'separable' ? outChannels * (inChannels * SLAB * 0.55 + 14) : 0);
          return (
            <figure key={row.kind} className={styles.blockRow} data-testid={`cb-${row.kind}`}>
              <figcaption>
                <b>{row.kind}</b> ·{' '}
                <span data-testid={`cb-params-${row.kind}`}>{row.params.toLocaleString('en-US')}</span> weights (3 × 3)
                · {row.note}
              </figcaption>
              <svg
                width={outputX + outChannels * SLAB + 60}
                height={height + 60}
                role="img"
                aria-label={`${row.kind}: ${row.note}`}
              >
                <Stack
                  x={4}
                  channels={inChannels}
                  groupOf={row.kind === 'standard' ? () => 0 : inputGroup}
                  groups={row.groups}
                  label="input"
                  height={height}
                />
                {Array.from({ length: outChannels }, (_, filter) => (
                  <Stack
                    key={filter}
                    x={filterX + filter * (filterDepth * SLAB * 0.55 + 18)}
                    channels={filterDepth}
                    groupOf={() => (row.kind === 'standard' ? 0 : Math.floor(filter / (outChannels / row.groups)))}
                    groups={row.groups}
                    label={filter === 0 ? 'filters' : ''}
                    height={height / 2}
                  />
                ))}
                {row.kind === 'separable' &&
                  Array.from({ length: outChannels }, (_, filter) => (
                    <Stack
                      key={`pointwise-${filter}`}
                      x={
                        filterX +
                        outChannels * (filterDepth * SLAB * 0.55 + 18) +
                        filter * (inChannels * SLAB * 0.55 + 14)
                      }
                      channels={inChannels}
                      groupOf={() => 0}
                      groups={1}
                      label={filter === 0 ? '1 × 1 filters' : ''}
                      height={6}
                    />
                  ))}
                <Stack
                  x={outputX}
                  channels={outChannels}
                  groupOf={
                    row.kind === 'standard' || row.kind === 'separable'
                      ? () => 0
                      : (channel) => Math.floor(channel / (outChannels / row.groups))
                  }
                  groups={row.kind === 'standard' || row.kind === 'separable' ? 1 : row.groups}
                  label="output"
                  height={height}
                />
              </svg>
            </figure>
          );
        })}
      </div>
    </div>
  );
}
